/**
 * Runs the compiled `paperboy` command (dist/, built by `npm test` before Jest starts) as a child
 * process, the way an operator runs it, with its own environment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface Child {
  proc: ChildProcess;
  output(): string;
  /** Resolves when the output matches (e.g. a log event), rejects on exit or timeout. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Send a signal and resolve with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export const BIN = path.resolve('bin/paperboy.js');

export function runPaperboy(args: string[], env: Record<string, string>): Child {
  const proc = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (c) => { out += c; });
  proc.stderr!.on('data', (c) => { out += c; });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return {
    proc,
    output: () => out,
    waitForOutput(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setInterval(() => {
          if (pattern.test(out)) { clearInterval(timer); clearTimeout(t); resolve(); }
        }, 25);
        const t = setTimeout(() => { clearInterval(timer); reject(new Error(`timed out waiting for ${pattern} in:\n${out}`)); }, timeoutMs);
        exited.then((code) => {
          if (!pattern.test(out)) { clearInterval(timer); clearTimeout(t); reject(new Error(`process exited (${code}) before ${pattern}:\n${out}`)); }
        });
      });
    },
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode !== null) return proc.exitCode;
      proc.kill(signal);
      return exited;
    },
  };
}
