/** `paperboy <command>`: dispatches to src/cli/commands/*. */
import type { Command, CommandIO } from './command.js';
import { UsageError } from './command.js';
import { ConfigError } from '../config/errors.js';
import { commands } from './commands/index.js';

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: paperboy <command> [options]',
    '',
    'Paperboy delivers a daily email digest of the new papers that match each subscriber\'s topics.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `paperboy <command> --help` for the options of one command.',
    'Configuration is read from the environment (see README.md, "Configuration").',
  ].join('\n');
}

export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(overview() + '\n');
    return name ? 0 : 1;
  }
  const command: Command | undefined = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`paperboy: unknown command "${name}"\n\n${overview()}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.help.trimEnd() + '\n');
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`paperboy ${name}: ${err.message}\nRun \`paperboy ${name} --help\` for usage.\n`);
      return 2;
    }
    if (err instanceof ConfigError) {
      io.stderr.write(`paperboy: configuration error: ${err.message}\n`);
      return 78;
    }
    io.stderr.write(`paperboy ${name}: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}

// Run when executed directly (bin/paperboy.js imports this file).
export async function runFromProcess(): Promise<void> {
  const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
  process.exitCode = code;
}
