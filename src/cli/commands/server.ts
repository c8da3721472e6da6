import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { startServer } from '../../server.js';
import type { CliIo } from '../io.js';

export function registerServer(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description('start the web app and API')
    .option('--port <n>', 'port (default $PORT or 3000)')
    .option('--host <host>', 'address to listen on (default $HOST or 127.0.0.1)')
    .action(async (options: { port?: string; host?: string }) => {
      const env = { ...io.env, ...(options.port ? { PORT: options.port } : {}), ...(options.host ? { HOST: options.host } : {}) };
      const config = loadConfig(env);
      const { url } = await startServer(config);
      io.out(`sweetspot is running at ${url} (database: ${config.database})\n`);
      await new Promise(() => {}); // serve until the process is stopped
    });
}
