import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Migrator, sql, type Migration, type MigrationProvider, type MigrationResult } from 'kysely';
import { dialectOf, type Db } from './connect.js';

const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

/**
 * Kysely's FileMigrationProvider, but importing from our own module: the migrations are TypeScript,
 * and only an `import()` in our code goes through the TypeScript loader (tsx at run time, vite in tests).
 */
class FolderMigrationProvider implements MigrationProvider {
  constructor(private readonly folder: string) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const migrations: Record<string, Migration> = {};
    for (const file of (await fs.readdir(this.folder)).sort()) {
      if (!/\.(ts|js|mjs)$/.test(file) || file.endsWith('.d.ts')) continue;
      const module = (await import(pathToFileURL(path.join(this.folder, file)).href)) as Migration;
      migrations[file.replace(/\.(ts|js|mjs)$/, '')] = module;
    }
    return migrations;
  }
}

async function migrator(db: Db): Promise<Migrator> {
  // On PostgreSQL the bookkeeping tables go into the connection's own schema (Kysely would otherwise
  // look for them across every schema and may find another database's).
  const schema =
    dialectOf(db) === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  return new Migrator({
    db,
    provider: new FolderMigrationProvider(MIGRATIONS_DIR),
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

/** The migration names in the folder, as the migrator names them. */
async function migrationNames(): Promise<string[]> {
  return (await fs.readdir(MIGRATIONS_DIR))
    .filter((file) => /\.(ts|js|mjs)$/.test(file) && !file.endsWith('.d.ts'))
    .map((file) => file.replace(/\.(ts|js|mjs)$/, ''))
    .sort();
}

/**
 * Whether the database has run exactly the migrations in the folder. Every CLI command starts by
 * migrating, and the migrator imports every migration file to find that there is nothing to do: a
 * fifth of the start of `sweetspot log`. One query and a folder listing answer it instead.
 */
async function isUpToDate(db: Db): Promise<boolean> {
  try {
    const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    const applied = rows.rows.map((row) => row.name);
    const files = await migrationNames();
    return applied.length === files.length && applied.every((name, i) => name === files[i]);
  } catch {
    return false; // a new database: no migration table yet
  }
}

/** Brings the schema to the latest migration; throws (naming the migration) when one fails. */
export async function migrateToLatest(db: Db): Promise<MigrationResult[]> {
  if (await isUpToDate(db)) return [];
  const { error, results } = await (await migrator(db)).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${reason}`);
  }
  return results ?? [];
}
