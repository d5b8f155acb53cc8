/**
 * A real SMTP server in the test process (the `smtp-server` package). It records every accepted
 * message (parsed with mailparser, raw kept) and can answer scripted codes per recipient, or hold
 * the DATA reply, to simulate a relay's 4xx/5xx and crashes.
 */
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession, type SMTPServerAddress } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  to: string[];
  from: string;
  raw: string;
  parsed: ParsedMail;
  receivedAt: number;
}

export interface ScriptedReply {
  code: number;
  message: string;
}

export interface TestSmtpServer {
  url: string;
  port: number;
  received: ReceivedMail[];
  /** Decide the RCPT reply for an address (return undefined to accept). */
  onRcpt?: (address: string, session: SMTPServerSession) => ScriptedReply | undefined;
  /** Decide the reply after DATA (return undefined to accept). May return a promise that never resolves. */
  onData?: (mail: ReceivedMail) => ScriptedReply | undefined | Promise<ScriptedReply | undefined>;
  /** Resolves when `n` messages have been accepted in total. */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** Open SMTP connections now, and the most seen open at once. */
  connections: { open: number; maxOpen: number };
  /** Messages to one address. */
  to(address: string): ReceivedMail[];
  close(): Promise<void>;
}

function smtpError(reply: ScriptedReply): Error & { responseCode: number } {
  const err = new Error(reply.message) as Error & { responseCode: number };
  err.responseCode = reply.code;
  return err;
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const waiters: { n: number; resolve: (m: ReceivedMail[]) => void }[] = [];
  const api: Partial<TestSmtpServer> = {};
  const connections = { open: 0, maxOpen: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 50 * 1024 * 1024,
    onConnect(_session, callback) {
      connections.open++;
      connections.maxOpen = Math.max(connections.maxOpen, connections.open);
      callback();
    },
    onClose() {
      connections.open--;
    },
    onRcptTo(address: SMTPServerAddress, session, callback) {
      const reply = api.onRcpt?.(address.address, session);
      if (reply) return callback(smtpError(reply));
      callback();
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const receivedAt = Date.now(); // the end of DATA, before parsing
        const raw = Buffer.concat(chunks).toString('utf8');
        const parsed = await simpleParser(raw);
        const mail: ReceivedMail = {
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          raw, parsed, receivedAt,
        };
        const reply = await api.onData?.(mail);
        if (reply) return callback(smtpError(reply));
        received.push(mail);
        for (const w of [...waiters]) {
          if (received.length >= w.n) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(received.slice());
          }
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  Object.assign(api, {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    connections,
    waitFor(n: number, timeoutMs = 15_000) {
      if (received.length >= n) return Promise.resolve(received.slice());
      return new Promise<ReceivedMail[]>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${n} messages, got ${received.length}`)), timeoutMs);
        waiters.push({ n, resolve: (m) => { clearTimeout(timer); resolve(m); } });
      });
    },
    to(address: string) {
      return received.filter((m) => m.to.includes(address.toLowerCase()));
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
  return api as TestSmtpServer;
}

/** The unfolded value(s) of a header in the raw message, exactly as sent. */
export function rawHeaders(mail: ReceivedMail, name: string): string[] {
  const head = mail.raw.split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, ' ');
  const re = new RegExp(`^${name}:[ \\t]*(.*)$`, 'gim');
  return [...head.matchAll(re)].map((m) => m[1].trim());
}
