import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { freshDatabaseLocation } from '../helpers/test-app.js';

// Two app processes sharing one PostgreSQL database, as behind a load balancer: concurrent logging
// through both loses nothing, and both answer the same analysis.

const children: ChildProcess[] = [];
afterAll(() => children.forEach((c) => c.kill()));

function startInstance(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/bench/server-child.ts', 'app', url], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim()));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`instance exited with ${code}`)));
  });
}

describe('two app instances on one PostgreSQL database', () => {
  it('lose no run under concurrent logging and answer the same analysis', async () => {
    const db = await freshDatabaseLocation();
    const [a, b] = await Promise.all([startInstance(db), startInstance(db)]);
    const bodies: Record<string, unknown>[] = [];
    for (let i = 0; i < 600; i++) {
      const steps = [10, 15, 20, 25, 30, 40, 50, 60][i % 8]!;
      bodies.push({ model: 'flux-dev', steps, score: Number((8.6 - 5 * Math.exp(-steps / 10) + ((i * 7919) % 13) / 26 - 0.25).toFixed(3)), durationMs: 380 + 670 * steps, seed: String(1000 + Math.floor(i / 8)), prompt: `p${Math.floor(i / 8) % 5}`, hardware: 'RTX 4090', tags: [`i${i % 3}`] });
    }
    const acknowledged: number[] = [];
    const failures: string[] = [];
    let next = 0;
    const worker = async (w: number) => {
      while (next < bodies.length) {
        const i = next++;
        const base = (i + w) % 2 === 0 ? a : b;
        const res = await fetch(`${base}/api/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(bodies[i]) });
        if (res.status === 201) acknowledged.push(((await res.json()) as { id: number }).id);
        else failures.push(`${res.status} ${await res.text()}`);
      }
    };
    await Promise.all(Array.from({ length: 24 }, (_, w) => worker(w)));
    const totals = await Promise.all([a, b].map(async (base) => ((await (await fetch(`${base}/api/v1/runs?limit=1`)).json()) as { total: number }).total));
    console.log(`two instances: ${bodies.length} sent, ${acknowledged.length} acknowledged, ${totals[0]} found via A, ${totals[1]} via B, ${failures.length} failures`);
    expect(failures).toEqual([]);
    expect(new Set(acknowledged).size).toBe(bodies.length);
    expect(totals).toEqual([bodies.length, bodies.length]);
    const [analysisA, analysisB] = await Promise.all([a, b].map(async (base) => (await fetch(`${base}/api/v1/models/flux-dev/analysis`)).json() as Promise<Record<string, unknown>>));
    expect(analysisA!.runs).toBe(bodies.length);
    expect(analysisB!.sweetSpot).toEqual(analysisA!.sweetSpot);
    expect(analysisB!.recommendations).toEqual(analysisA!.recommendations);
    expect(analysisB!.duration).toEqual(analysisA!.duration);
  });
});
