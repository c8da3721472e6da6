import { ConfigError, loadConfig } from './config.js';
import { startServer } from './server.js';
import { StartupError } from './startup-error.js';

// `npm start`: config → db → migrate → createApp(deps).listen (see server.ts).
try {
  const config = loadConfig(process.env);
  const { url, close } = await startServer(config);
  console.log(`sweetspot is running at ${url} (database: ${config.database})`);
  const stop = () => void close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (err) {
  // A ConfigError or StartupError is one line naming what to fix; anything else is a bug, shown whole.
  console.error(err instanceof ConfigError || err instanceof StartupError ? `sweetspot could not start: ${err.message}` : err);
  process.exit(1);
}
