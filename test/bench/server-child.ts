// A server in its own process for the load test, so the load generator does not share its event
// loop: `app DBFILE` serves sweetspot on that database; `bare` serves a bare Express route that
// parses the same JSON body and answers a JSON body of the same size (the physical limit).
import express from 'express';
import { loadConfig } from '../../src/config.js';
import { startServer } from '../../src/server.js';
import { listen } from './measure.js';

const [kind, file] = [process.argv[2], process.argv[3]];
if (kind === 'app') {
  // The server exactly as `npm start` runs it.
  const { url } = await startServer(loadConfig({ SWEETSPOT_DB: file!, SWEETSPOT_DATA_DIR: '/tmp/sweetspot-bench-data', PORT: '0' }));
  console.log(url);
} else {
  const app = express();
  app.disable('x-powered-by');
  const answer = JSON.parse(process.argv[3] ?? '{}') as unknown;
  app.post('/api/v1/runs', express.json({ limit: '20mb' }), (_req, res) => {
    res.status(201).json(answer);
  });
  const { url } = await listen(app);
  console.log(url);
}
