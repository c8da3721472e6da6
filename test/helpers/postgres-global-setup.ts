import pg from 'pg';

/** Says in the output that this run is against PostgreSQL, and drops the test schemas afterwards. */
export default async function setup(): Promise<() => Promise<void>> {
  const url = process.env.TEST_DATABASE_URL!;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const version = (await client.query<{ server_version: string }>('show server_version')).rows[0]?.server_version;
  await client.end();
  console.log(`\n>>> PostgreSQL test run: ${new URL(url).host}${new URL(url).pathname} (server ${version})\n`);
  return async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const schemas = await c.query<{ nspname: string }>("select nspname from pg_namespace where nspname like 't\\_%'");
    for (const { nspname } of schemas.rows) await c.query(`drop schema ${nspname} cascade`);
    await c.end();
  };
}
