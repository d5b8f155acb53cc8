/** Spawn worker processes (test/support/delivery-worker.ts via tsx) and kill them like an OOM killer would. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(new URL('../..', import.meta.url).pathname);

export interface ChildWorker {
  process: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function spawnWorker(options: object): Promise<ChildWorker> {
  // One process (tsx as a loader, not its CLI, which would add a parent that a SIGKILL leaves orphaned).
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test/support/delivery-worker.ts'), JSON.stringify(options)], {
    cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_OPTIONS: '' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onData = (b: Buffer) => {
      if (b.toString().includes('ready')) {
        child.stdout!.off('data', onData);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
  });
  child.stdout!.resume();
  return {
    process: child,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
