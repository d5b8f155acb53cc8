/**
 * Mail transports. `Mailer.send` resolves when the relay accepted the message (or the outbox file was
 * written) and rejects with a MailError classified as transient, permanent or auth, so callers can
 * decide retry / bounce / pause without knowing nodemailer's error shapes.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { DKIM_SIGNED_HEADERS } from './dkim.js';

export type MailMessage = Mail.Options;

export interface SendResult {
  messageId: string;
  response?: string;
  /** Set when the message went to the local outbox. */
  file?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<SendResult>;
  close(): Promise<void>;
  /** Human description for logs: the relay host or the outbox path. */
  readonly description: string;
}

/**
 * transient: retry later with backoff (4xx, connection errors, timeouts).
 * throttle: the relay asks us to slow down (421, 454): pause sending without using up attempts.
 * permanent: 5xx, never retried (a bounce).
 * auth: our credentials are refused (535 …): nothing can be sent, pause everything.
 */
export type MailErrorKind = 'transient' | 'throttle' | 'permanent' | 'auth';

export class MailError extends Error {
  constructor(message: string, readonly kind: MailErrorKind, readonly responseCode?: number, override readonly cause?: unknown) {
    super(message);
    this.name = 'MailError';
  }
}

/** Map a nodemailer/SMTP error to transient (retry), permanent (bounce) or auth (pause everything). */
export function classifyMailError(err: unknown): MailError {
  if (err instanceof MailError) return err;
  const e = err as { responseCode?: number; code?: string; message?: string; response?: string };
  const code = e.responseCode;
  const text = e.response ?? e.message ?? String(err);
  if (e.code === 'EAUTH' || code === 535 || code === 534 || code === 530) {
    return new MailError(`authentication failed: ${text}`, 'auth', code, err);
  }
  if (code === 421 || code === 454) {
    return new MailError(`relay throttling: ${text}`, 'throttle', code, err);
  }
  if (typeof code === 'number' && code >= 500 && code < 600) {
    return new MailError(`rejected permanently: ${text}`, 'permanent', code, err);
  }
  return new MailError(`temporary failure: ${text}`, 'transient', code, err);
}

export interface SmtpOptions {
  url: string;
  pool: boolean;
  maxConnections: number;
  /** Messages per second per transport (0 = no limit). */
  rateLimit?: number;
  /** Connection, greeting and socket timeouts (ms); defaults 15 s, 15 s, 60 s. */
  timeouts?: { connection?: number; greeting?: number; socket?: number };
  dkim?: { domainName: string; keySelector: string; privateKey: string; headerFieldNames?: string };
}

/** Both unsubscribe headers must be signed (RFC 8058): never rely on nodemailer's default list. */
function withSignedHeaders(dkim: NonNullable<SmtpOptions['dkim']>): NonNullable<SmtpOptions['dkim']> {
  return { ...dkim, headerFieldNames: dkim.headerFieldNames ?? DKIM_SIGNED_HEADERS };
}

export function createSmtpMailer(options: SmtpOptions): Mailer {
  const u = new URL(options.url);
  const transport: Transporter = nodemailer.createTransport({
    url: options.url,
    pool: options.pool,
    maxConnections: options.maxConnections,
    // Keep pooled connections for many messages (nodemailer's default recycles each after 100); a
    // relay that closes earlier is handled by the pool opening a new connection.
    maxMessages: 1000,
    ...(options.rateLimit ? { rateDelta: 1000, rateLimit: options.rateLimit } : {}),
    connectionTimeout: options.timeouts?.connection ?? 15_000,
    greetingTimeout: options.timeouts?.greeting ?? 15_000,
    socketTimeout: options.timeouts?.socket ?? 60_000,
    ...(options.dkim ? { dkim: withSignedHeaders(options.dkim) } : {}),
  } as never);
  return {
    description: `smtp://${u.hostname}:${u.port || (u.protocol === 'smtps:' ? 465 : 25)}`,
    async send(message) {
      try {
        const info = await transport.sendMail(message);
        // A raw message carries its own Message-ID; nodemailer would report a generated one.
        return { messageId: typeof message.messageId === 'string' ? message.messageId : info.messageId, response: info.response };
      } catch (err) {
        throw classifyMailError(err);
      }
    },
    async close() {
      transport.close();
    },
  };
}

/** Writes each message as an .eml file (RFC 5322 text) into `dir`, named by date and Message-ID. */
export function createOutboxMailer(dir: string, dkim?: SmtpOptions['dkim']): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix', ...(dkim ? { dkim: withSignedHeaders(dkim) } : {}) } as never);
  const absolute = path.resolve(dir);
  let seq = 0;
  return {
    description: `outbox ${absolute}`,
    async send(message) {
      const info = (await transport.sendMail(message)) as unknown as { messageId: string; message: Buffer };
      const messageId = typeof message.messageId === 'string' ? message.messageId : info.messageId;
      await mkdir(absolute, { recursive: true });
      const safeId = messageId.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);
      const file = path.join(absolute, `${new Date().toISOString().replace(/[:.]/g, '-')}-${String(seq++).padStart(4, '0')}-${safeId}.eml`);
      await writeFile(file, info.message);
      return { messageId, file };
    },
    async close() {},
  };
}
