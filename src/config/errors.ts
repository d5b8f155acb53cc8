/** A bad configuration value: the message is one line naming the variable and what is wrong. */
export class ConfigError extends Error {
  constructor(readonly variable: string, reason: string) {
    super(`${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}
