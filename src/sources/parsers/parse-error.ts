/** The only error the pure parsers throw: the document as a whole cannot be read. */
export class ParseError extends Error {
  readonly code = 'PARSE_ERROR';
  constructor(message: string, readonly where: string) {
    super(message);
    this.name = 'ParseError';
  }
}
