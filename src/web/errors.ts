/** Errors the web edge maps to a status and a page (or a JSON error with a stable code). */
export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly field?: string) {
    super(message);
    this.name = 'HttpError';
  }
}

/** A dependency (PostgreSQL, Redis) is unreachable: answered 503 with a generic page. */
export class ServiceUnavailableError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ServiceUnavailableError';
  }
}

export class RateLimitedError extends HttpError {
  constructor(readonly retryAfter: number) {
    super(429, 'rate_limited', 'Too many requests from your network. Please wait a few minutes and try again.');
  }
}
