/** Bad subscriber input: `field` names the form field, `message` says what is wrong in plain words. */
export class ValidationError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'ValidationError';
  }
}
