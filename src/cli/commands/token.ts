import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { tokenWeakness } from '../../config.js';
import type { CliIo } from '../io.js';

/** A new SWEETSPOT_TOKEN: 32 random bytes (256 bits) in base64url, 43 characters that need no quoting. */
export function strongToken(): string {
  const token = randomBytes(32).toString('base64url');
  // 32 random bytes are never one repeated character in practice; the check keeps the promise exact.
  return tokenWeakness(token) === null ? token : strongToken();
}

export function registerToken(program: Command, io: CliIo): void {
  program
    .command('token')
    .description('print a new strong SWEETSPOT_TOKEN (256 random bits)')
    .action(() => {
      io.out(`${strongToken()}\n`);
    });
}
