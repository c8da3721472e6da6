import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useCliSandbox } from '../helpers/cli.js';
import { startFakeA1111 } from '../helpers/fake-a1111.js';
import { fluxWorkflow, startFakeComfyUi } from '../helpers/fake-comfyui.js';

const { ctx, cli } = useCliSandbox('sweetspot-cli-renderer-');
const fakes: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

describe('sweetspot renderer', () => {
  it('adds a ComfyUI renderer from a workflow file, prints what it found, lists and removes it', async () => {
    const fake = await startFakeComfyUi();
    fakes.push(fake);
    const file = path.join(ctx.dir, 'workflow_api.json');
    fs.writeFileSync(file, JSON.stringify(fluxWorkflow(), null, 2));
    const added = await cli('renderer', 'add', '--kind', 'comfyui', '--url', fake.url, '--workflow', file, '--name', 'FLUX box');
    expect(added.code, added.err).toBe(0);
    expect(added.out).toContain(`Added renderer #1 "FLUX box" (comfyui) at ${fake.url}; hardware: NVIDIA GeForce RTX 4090\n`);
    expect(added.out).toContain('  steps           node 17 BasicScheduler.steps = 20\n');
    expect(added.out).toContain('  seed            node 25 RandomNoise.noise_seed = 219670278747233\n');
    expect(added.out).toContain('  checkpoint      node 12 UNETLoader.unet_name = flux1-dev.safetensors\n');

    const list = await cli('renderer', 'list');
    expect(list.out).toMatch(/ID\s+Name\s+Kind\s+URL\s+Hardware\s+Steps at\n/);
    expect(list.out).toContain('FLUX box');
    expect(list.out).toContain('node 17 BasicScheduler');
    const json = JSON.parse((await cli('renderer', 'list', '--json')).out);
    expect(json.renderers).toEqual([expect.objectContaining({ id: 1, kind: 'comfyui', url: fake.url, hardware: 'NVIDIA GeForce RTX 4090' })]);

    expect((await cli('renderer', 'remove', '1')).out).toBe('Removed renderer #1\n');
    expect((await cli('renderer', 'list')).out).toMatch(/^No renderer yet/);
    const again = await cli('renderer', 'remove', '1');
    expect(again.code).toBe(2);
    expect(again.err).toBe('error: There is no renderer 1\n');
  });

  it('adds an A1111 renderer and prints it as JSON', async () => {
    const fake = await startFakeA1111();
    fakes.push(fake);
    const res = await cli('renderer', 'add', '--kind', 'a1111', '--url', fake.url, '--json');
    expect(res.code, res.err).toBe(0);
    expect(JSON.parse(res.out)).toMatchObject({ id: 1, kind: 'a1111', url: fake.url, hardware: null });
  });

  it('names the option at fault: an unreachable URL, a workflow without a sampler, a missing file, a bad kind', async () => {
    const fake = await startFakeComfyUi();
    fakes.push(fake);
    const noSampler: Record<string, unknown> = fluxWorkflow();
    delete noSampler['13'];
    const file = path.join(ctx.dir, 'no-sampler.json');
    fs.writeFileSync(file, JSON.stringify(noSampler));
    const bad = await cli('renderer', 'add', '--kind', 'comfyui', '--url', fake.url, '--workflow', file);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^error: The renderer was not added:\n {2}--workflow: The workflow has no sampler node/);

    await fake.refuseConnections();
    const good = path.join(ctx.dir, 'good.json');
    fs.writeFileSync(good, JSON.stringify(fluxWorkflow()));
    const down = await cli('renderer', 'add', '--kind', 'comfyui', '--url', fake.url, '--workflow', good);
    expect(down.code).toBe(2);
    expect(down.err).toContain(`--url: ComfyUI at ${fake.url} did not answer as expected: ${fake.url}/system_stats refused the connection`);

    const missing = await cli('renderer', 'add', '--kind', 'comfyui', '--url', fake.url, '--workflow', path.join(ctx.dir, 'nope.json'));
    expect(missing.err).toContain('--workflow: cannot read');
    const kind = await cli('renderer', 'add', '--kind', 'invokeai', '--url', 'http://127.0.0.1:9090');
    expect(kind.err).toContain('--kind: kind must be one of: comfyui, a1111');
    expect((await cli('renderer', 'remove', 'x')).err).toContain('<id> must be a renderer id');
    expect((await cli('renderer', 'list')).out).toMatch(/^No renderer yet/);
  });
});
