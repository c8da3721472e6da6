// A server in its own process for the load test, so the load generator does not share its event
// loop: `app DBFILE` serves sweetspot on that database; `bare` serves a bare Express route that
// parses the same JSON body and answers a JSON body of the same size (the physical limit).
import express from 'express';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { connectDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { listen } from './measure.js';

const [kind, file] = [process.argv[2], process.argv[3]];
let app: express.Express;
if (kind === 'app') {
  const config = loadConfig({ SWEETSPOT_DB: file!, SWEETSPOT_DATA_DIR: '/tmp/sweetspot-bench-data' });
  const db = connectDatabase(config.database);
  await migrateToLatest(db);
  app = createApp({ db, config });
} else {
  app = express();
  app.disable('x-powered-by');
  const answer = JSON.parse(process.argv[3] ?? '{}') as unknown;
  app.post('/api/v1/runs', express.json(), (_req, res) => {
    res.status(201).json(answer);
  });
}
const { url } = await listen(app);
console.log(url);
