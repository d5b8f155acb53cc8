import type { Command } from '../command.js';
import { startCommand, webCommand, workerCommand } from './serve.js';
import { digestCommand } from './digest.js';
import { migrateCommand } from './migrate.js';
import { fetchCommand } from './fetch.js';
import { matchCommand } from './match.js';
import { demoCommand } from './demo.js';

export const commands: Command[] = [
  startCommand,
  webCommand,
  workerCommand,
  digestCommand,
  fetchCommand,
  matchCommand,
  migrateCommand,
  demoCommand,
];
