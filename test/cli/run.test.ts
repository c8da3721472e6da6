import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useCliSandbox } from '../helpers/cli.js';
import { fluxWorkflow, startFakeComfyUi, type FakeComfyUi } from '../helpers/fake-comfyui.js';

const { ctx, cli } = useCliSandbox('sweetspot-cli-run-');
const fakes: FakeComfyUi[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function setUp(): Promise<FakeComfyUi> {
  const fake = await startFakeComfyUi({ clock: { timeScale: 0.0005 } });
  fakes.push(fake);
  const file = path.join(ctx.dir, 'workflow_api.json');
  fs.writeFileSync(file, JSON.stringify(fluxWorkflow()));
  expect((await cli('plan', '--model', 'flux-dev', '--steps', '10,20', '--seeds', '42,43', '--prompt', 'a red fox in fresh snow')).code).toBe(0);
  expect((await cli('renderer', 'add', '--kind', 'comfyui', '--url', fake.url, '--workflow', file)).code).toBe(0);
  return fake;
}

describe('sweetspot run', () => {
  it('renders the plan on every renderer and reports the end', async () => {
    const fake = await setUp();
    const res = await cli('run', '1');
    expect(res.code, res.err).toBe(0);
    expect(res.out).toBe(`[########################] 4/4 renders  spent ${((2 * (380 + 6700) + 2 * (380 + 13400)) / 1000).toFixed(1)} s  left 0.0 s\nAll 4 planned renders are rendered and stored\n`);
    expect(fake.rendered).toHaveLength(4);
    const runs = JSON.parse((await cli('runs', '--json')).out) as unknown;
    expect(JSON.stringify(runs)).toContain('NVIDIA GeForce RTX 4090');
  });

  it('reports each fault with its run and how to go on; --resume finishes the job', async () => {
    const fake = await setUp();
    fake.faults.executionError = 'error';
    const failed = await cli('run', '1');
    expect(failed.code).toBe(2);
    expect(failed.out).toContain('0/4 renders, 4 failed');
    expect(failed.err).toMatch(/^error: The render job of experiment 1 is failed:\n {2}run #\d+ \(execution, 3 attempts\): ComfyUI at http:\/\/127\.0\.0\.1:\d+ failed in node 13 \(SamplerCustomAdvanced\): RuntimeError/);
    expect(failed.err).toContain('Go on with: sweetspot run 1 --resume');
    fake.faults.executionError = null;
    const resumed = await cli('run', '1', '--resume');
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.out).toContain('4/4 renders');
  });

  it('--adaptive renders the coarse round and stops on the render budget, saying why', async () => {
    const fake = await setUp();
    const res = await cli('run', '1', '--adaptive', '--max-renders', '6', '--metric', 'sharpness');
    expect(res.code, res.err).toBe(0);
    // The plan's 10–20 lies below FLUX.1 Dev's usable 20–50: the coarse round is 20, 35, 50 × 2 seeds.
    expect(res.out).toMatch(/^\[#+\] 6\/6 renders {2}spent 2 min 23 s {2}left 0\.0 s\nRender budget spent: 6 of 6 renders; /);
    expect(fake.rendered.map((r) => r.steps).sort((a, b) => a - b)).toEqual([20, 20, 35, 35, 50, 50]);
  });

  it('names what it cannot do', async () => {
    await setUp();
    expect((await cli('run', '1', '--adaptive')).err).toContain('--adaptive needs a target: --half-width N (steps), --max-renders N or --max-minutes N');
    expect((await cli('run', '1', '--half-width', '2')).err).toContain('belong to the adaptive mode: add --adaptive');
    expect((await cli('run', '1', '--adaptive', '--max-renders', '0')).err).toContain('--max-renders must be a whole number from 1 to 100000, not "0"');
    expect((await cli('run', '1', '--adaptive', '--max-renders', '4', '--metric', 'beauty')).err).toContain('--metric must be one of ssim_to_reference, sharpness, not "beauty"');
    expect((await cli('run', '1', '--adaptive', '--max-renders', '4', '--metric', 'score')).err).toContain('--metric score waits for your ratings between rounds');
    expect((await cli('run', 'x')).err).toContain('<experiment> must be an experiment id');
    expect((await cli('run', '1', '--renderer', '9')).err).toContain('There is no renderer 9');
    expect((await cli('run', '7')).err).toContain('There is no experiment 7');
  });
});
