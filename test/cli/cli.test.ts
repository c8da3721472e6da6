import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { useCliSandbox } from '../helpers/cli.js';
import { loadConfig } from '../../src/config.js';
import { connectDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';

const { ctx, cli } = useCliSandbox();

describe('sweetspot CLI', () => {
  it('migrate creates the database from nothing, then has nothing to do', async () => {
    const first = await cli('migrate');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/applied 2026-11-25T1200-initial/);
    expect(fs.existsSync(ctx.env.SWEETSPOT_DB!)).toBe(true);
    expect((await cli('migrate')).out).toBe('The database is up to date.\n');
  });

  it('log stores a run (duration in seconds) and runs lists it', async () => {
    const logged = await cli('log', '--model', 'flux-dev', '--steps', '30', '--duration', '12.4', '--score', '7.5', '--seed', '123456789012345678901', '--prompt', 'a red fox', '--tags', 'cli,test');
    expect(logged.code).toBe(0);
    expect(logged.out).toBe('Logged run #1: FLUX.1 Dev, 30 steps, 12.4 s, score 7.5\n');
    const listed = await cli('runs');
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/flux-dev\s+30\s+12\.4\s+7\.5/);
    expect(listed.out).toContain('a red fox');
    const json = JSON.parse((await cli('runs', '--json')).out);
    expect(json.runs[0]).toMatchObject({ durationMs: 12400, seed: '123456789012345678901', tags: ['cli', 'test'], source: 'cli' });
  });

  it('log warns on stderr when steps are outside the guide range', async () => {
    const res = await cli('log', '--model', 'flux-schnell', '--steps', '8');
    expect(res.code).toBe(0);
    expect(res.err).toMatch(/warning: .*above its maximum of 4/);
  });

  it('log names every bad option and stores nothing', async () => {
    const res = await cli('log', '--model', 'flux-dev', '--steps', '0', '--score', '11', '--duration', '-3');
    expect(res.code).toBe(2);
    expect(res.err).toContain('--steps: steps must be a whole number from 1 to 10000');
    expect(res.err).toContain('--score: score must be a number from 0 to 10');
    expect(res.err).toContain('--duration: durationMs must be a number from 0');
    const unknown = await cli('log', '--model', 'sdxl', '--steps', '20');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown model 'sdxl'/);
    expect((await cli('runs')).out).toBe('No runs match.\n');
  });

  it('log without the required options explains what is missing', async () => {
    const res = await cli('log', '--steps', '20');
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/required option '--model <slug>' not specified/);
  });

  it('runs filters and pages', async () => {
    for (const steps of [10, 20, 30, 40]) await cli('log', '--model', 'flux-dev', '--steps', String(steps), '--phase', steps > 25 ? 'final' : 'draft');
    const final = await cli('runs', '--phase', 'final', '--sort', 'steps', '--order', 'asc');
    expect(final.out).toMatch(/2 of 2 runs/);
    const page = await cli('runs', '--limit', '3', '--sort', 'steps', '--order', 'asc');
    const cursor = page.out.match(/--cursor (\S+)/)![1]!;
    const next = await cli('runs', '--limit', '3', '--sort', 'steps', '--order', 'asc', '--cursor', cursor);
    expect(next.out).toMatch(/flux-dev\s+40/);
    expect((await cli('runs', '--limit', 'many')).err).toMatch(/--limit: limit must be a whole number/);
  });

  it('demo loads labelled data once and removes it in one command', async () => {
    const loaded = await cli('demo');
    expect(loaded.code).toBe(0);
    const count = Number(loaded.out.match(/Loaded (\d+) demo runs/)![1]);
    expect(count).toBeGreaterThan(300);
    expect((await cli('demo')).out).toMatch(/already loaded/);
    const json = JSON.parse((await cli('runs', '--tag', 'demo', '--json', '--limit', '1')).out);
    expect(json.total).toBe(count);
    expect(json.runs[0].tags).toContain('demo');
    expect((await cli('demo', '--remove')).out).toBe(`Removed ${count} demo runs.\n`);
    expect((await cli('runs')).out).toBe('No runs match.\n');
  });

  it('a run logged by the CLI, the API and the form survives a restart', async () => {
    await cli('log', '--model', 'flux-dev', '--steps', '30');
    const open = async () => {
      const config = loadConfig(ctx.env);
      const db = connectDatabase(config.database);
      await migrateToLatest(db);
      return { db, app: createApp({ db, config }) };
    };
    const first = await open();
    await request(first.app).post('/api/v1/runs').send({ model: 'flux-pro', steps: 40 }).expect(201);
    await request(first.app).post('/runs').type('form').send('model=recraft-v3&steps=25').expect(303);
    await first.db.destroy();

    const second = await open();
    const res = await request(second.app).get('/runs');
    expect(res.text).toContain('3 runs match');
    for (const name of ['FLUX.1 Dev', 'FLUX.1 Pro', 'Recraft v3']) expect(res.text).toContain(name);
    const sources = (await request(second.app).get('/api/v1/runs')).body.runs.map((r: { source: string }) => r.source).sort();
    expect(sources).toEqual(['api', 'cli', 'form']);
    await second.db.destroy();
  });

  it('reports a bad configuration clearly', async () => {
    ctx.env.PORT = 'x';
    const res = await cli('migrate');
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/PORT must be a number/);
  });
});

describe('bin/sweetspot.js', () => {
  it('runs as a real command', async () => {
    const { execFile } = await import('node:child_process');
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['bin/sweetspot.js', '--help'], { env: { ...process.env, ...ctx.env } }, (error, stdout) =>
        error ? reject(error) : resolve(stdout),
      ),
    );
    for (const command of ['serve', 'migrate', 'log', 'runs', 'demo']) expect(out).toContain(command);
  });
});

describe('sweetspot analyze and report', () => {
  function writeCsv(name: string, text: string) {
    const file = path.join(ctx.dir, name);
    fs.writeFileSync(file, text);
    return file;
  }
  const curve = (steps: number) => (9.8 - 5 * Math.exp(-steps / 10)).toFixed(4);

  it('analyze prints a readable report of a CSV, one per model, storing nothing', async () => {
    const rows = ['\uFEFFModel,STEPS,score,duration_ms'];
    for (const s of [5, 10, 15, 20, 25, 30, 35, 40, 45, 50]) {
      rows.push(`flux-dev,${s},${curve(s)},${380 + 670 * s}`);
      rows.push(`flux-dev,${s},${(Number(curve(s)) + 0.1).toFixed(4)},${380 + 670 * s}`);
    }
    rows.push('other,10,5,', 'other,20,6,');
    const res = await cli('analyze', writeCsv('points.csv', rows.join('\r\n')));
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/flux-dev — 20 rated runs over 10 step levels/);
    expect(res.out).toMatch(/Sweet spot: 30 steps/);
    expect(res.out).toMatch(/Render time: 0\.38 s \+ 0\.670 s per step/);
    expect(res.out).toMatch(/other — 2 rated runs[\s\S]*insufficient-data/);
    expect(fs.existsSync(ctx.env.SWEETSPOT_DB!)).toBe(false);
  });

  it('analyze --json prints the API JSON, with settings and lower-is-better', async () => {
    const rows = ['steps,score'];
    for (const s of [5, 10, 15, 20, 25, 30, 35, 40, 45, 50]) rows.push(`${s},${(-Number(curve(s))).toFixed(4)}`, `${s},${(-Number(curve(s)) - 0.1).toFixed(4)}`);
    const file = writeCsv('lower.csv', rows.join('\n'));
    const res = await cli('analyze', file, '--lower-is-better', '--delta', '1', '--json');
    expect(res.code).toBe(0);
    const json = JSON.parse(res.out);
    expect(json.sweetSpot.steps).toBe(17);
    expect(json.lowerIsBetter).toBe(true);
    expect(json).toHaveProperty('recommendations.draft.steps');
  });

  it('analyze asks for --delta when a score lies outside 0–10, instead of silently using 0.25', async () => {
    const rows = ['steps,score'];
    for (const s of [5, 10, 20, 30, 40]) rows.push(`${s},${(100 * Math.exp(-s / 10)).toFixed(2)}`, `${s},${(100 * Math.exp(-s / 10) + 1).toFixed(2)}`);
    const file = writeCsv('fid.csv', rows.join('\n'));
    const res = await cli('analyze', file, '--lower-is-better');
    expect(res.code).not.toBe(0);
    expect(res.err).toMatch(/delta is required: the scores are not on the 0–10 scale/);
    expect((await cli('analyze', file, '--lower-is-better', '--delta', '2')).code).toBe(0);
  });

  it('analyze names a missing column and a bad cell by line', async () => {
    const missing = await cli('analyze', writeCsv('a.csv', 'steps,quality\n10,5\n'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no 'score' column/);
    const bad = await cli('analyze', writeCsv('b.csv', 'steps,score\n10,5\n0,6\n'));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/line 3, steps: steps must be a whole number/);
    expect((await cli('analyze', path.join(ctx.dir, 'none.csv'))).err).toMatch(/cannot read/);
  });

  it('report prints every stored model that has rated runs', async () => {
    expect((await cli('report')).out).toMatch(/No rated runs yet/);
    await cli('demo');
    const res = await cli('report');
    expect(res.code).toBe(0);
    for (const name of ['FLUX.1 Dev', 'FLUX.1 Schnell', 'FLUX.1 Pro', 'Recraft v3']) expect(res.out).toContain(`${name} — `);
    expect(res.out).toMatch(/Sweet spot: \d+ steps/);
    const json = JSON.parse((await cli('report', '--model', 'flux-schnell', '--json')).out);
    expect(json[0].model.slug).toBe('flux-schnell');
    expect(json[0].sweetSpot.steps).toBeGreaterThanOrEqual(2);
  });
});

describe('sweetspot export settings', () => {
  it('prints the settings sheet in each format, with the same numbers', async () => {
    await cli('demo');
    const md = await cli('export', 'settings');
    expect(md.code).toBe(0);
    expect(md.out).toMatch(/^# Step settings/);
    expect(md.out).toContain('## FLUX.1 Dev (`flux-dev`)');
    const json = JSON.parse((await cli('export', 'settings', '--format', 'json')).out);
    const dev = json.models.find((m: { slug: string }) => m.slug === 'flux-dev');
    expect(md.out).toContain(`**Sweet spot: ${dev.sweetSpot.steps} steps**`);
    const csv = (await cli('export', 'settings', '--format', 'csv')).out;
    expect(csv.split('\n')[0]).toMatch(/^model,model_name,scope,/);
    expect(csv).toContain(`flux-dev,FLUX.1 Dev,all,score,plateau-gap,0.25,ok`);
    const file = path.join(ctx.dir, 'settings.md');
    expect((await cli('export', 'settings', '-o', file)).code).toBe(0);
    const written = fs.readFileSync(file, 'utf8');
    expect(written).toMatch(/^# Step settings/);
    expect(written).toContain(`**Sweet spot: ${dev.sweetSpot.steps} steps**`);
    expect((await cli('export', 'settings', '--format', 'pdf')).err).toMatch(/--format must be one of: md, json, csv/);
  });
});

describe('sweetspot migrate-data', () => {
  it('copies a tracker to a new database and prints the verified counts', async () => {
    await cli('demo');
    const target = path.join(ctx.dir, 'copy.db');
    const res = await cli('migrate-data', '--from', ctx.env.SWEETSPOT_DB!, '--to', target);
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/^runs\s+\d+ rows$/m);
    expect(res.out).toMatch(/runs checksum [0-9a-f]{64} \(identical on both sides\)/);
    const again = await cli('migrate-data', '--from', ctx.env.SWEETSPOT_DB!, '--to', target);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/already holds \d+ runs/);
  });
});
