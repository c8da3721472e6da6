import { loadConfig } from './config.js';
import { startServer } from './server.js';

// `npm start`: config → db → migrate → createApp(deps).listen (see server.ts).
try {
  const config = loadConfig(process.env);
  const { url, close } = await startServer(config);
  console.log(`sweetspot is running at ${url} (database: ${config.database})`);
  const stop = () => void close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
