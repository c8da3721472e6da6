import type { Kysely } from 'kysely';

// Adaptive render jobs: the job keeps its target (JSON: halfWidth, maxRenders, maxMinutes) and the
// metric it drives on, and each render remembers the round that queued it, so a restarted job
// analyses the rounds it has and goes on from there. Grid jobs leave target and metric null and
// have one round. Frozen in time: no app imports; portable SQL.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('render_jobs').addColumn('target', 'varchar(200)').execute();
  await db.schema.alterTable('render_jobs').addColumn('metric', 'varchar(32)').execute();
  await db.schema.alterTable('render_tasks').addColumn('round', 'integer', (c) => c.notNull().defaultTo(1)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('render_tasks').dropColumn('round').execute();
  await db.schema.alterTable('render_jobs').dropColumn('metric').execute();
  await db.schema.alterTable('render_jobs').dropColumn('target').execute();
}
