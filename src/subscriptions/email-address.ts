/**
 * Email address validation and normalisation: trims, lower-cases the domain (and the local part,
 * since practically every provider treats it case-insensitively and one subscriber per address is the
 * rule), rejects anything that could smuggle a header (CR/LF, commas, semicolons, angle brackets,
 * display names) or is not a plain addr-spec.
 */
export class InvalidEmailError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidEmailError';
  }
}

const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export function normalizeEmail(raw: unknown): string {
  if (typeof raw !== 'string') throw new InvalidEmailError('Enter an email address.');
  const value = raw.trim();
  if (!value) throw new InvalidEmailError('Enter an email address.');
  if (value.length > 254) throw new InvalidEmailError('That email address is too long (254 characters at most).');
  if (/[\r\n\t\0,;<>()\s"\\[\]]/.test(value)) {
    throw new InvalidEmailError('An email address cannot contain spaces, line breaks, commas, semicolons, quotes or brackets.');
  }
  const at = value.lastIndexOf('@');
  if (at <= 0 || value.indexOf('@') !== at) throw new InvalidEmailError('An email address needs exactly one "@" with a name before it.');
  const local = value.slice(0, at);
  let domain = value.slice(at + 1).toLowerCase();
  if (local.length > 64 || !LOCAL.test(local)) throw new InvalidEmailError('The part before "@" is not valid.');
  if (domain.endsWith('.')) domain = domain.slice(0, -1);
  try {
    // IDN domains are stored in their ASCII (punycode) form.
    domain = new URL(`http://${domain}`).hostname;
  } catch {
    throw new InvalidEmailError('The part after "@" is not a valid domain.');
  }
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || /^\d+$/.test(labels[labels.length - 1])) {
    throw new InvalidEmailError('The part after "@" is not a valid domain.');
  }
  return `${local.toLowerCase()}@${domain}`;
}
