import { describe, expect, it } from 'vitest';
import { useCliSandbox } from '../helpers/cli.js';

const { cli } = useCliSandbox('sweetspot-cli-experiment-');

describe('sweetspot experiment delete|archive', () => {
  it('delete says both counts and needs --yes; then it removes the planned runs', async () => {
    expect((await cli('plan', '--model', 'flux-dev', '--steps', '10,20', '--seeds', '42, 7', '--prompt', 'a fox')).code).toBe(0);
    const ask = await cli('experiment', 'delete', '1');
    expect(ask.code).toBe(0);
    expect(ask.out).toContain('would remove 4 planned runs never rendered and keep 0 rendered runs as runs of their own');
    expect(ask.out).toContain('Run again with --yes');
    const done = await cli('experiment', 'delete', '1', '--yes');
    expect(done.out).toBe('Deleted experiment #1 "FLUX.1 Dev, 10, 20 steps": 4 runs removed, 0 rendered runs kept.\n');
    const again = await cli('experiment', 'delete', '1', '--yes');
    expect(again.code).toBe(2);
    expect(again.err).toContain('experiment 1 not found');
  });

  it('archive and --undo', async () => {
    await cli('plan', '--model', 'flux-dev', '--steps', '10,20', '--random-seeds', '2', '--prompt', 'a fox');
    expect((await cli('experiment', 'archive', '1')).out).toContain('Undo with: sweetspot experiment archive 1 --undo');
    expect((await cli('experiment', 'archive', '1', '--undo')).out).toContain('is current again');
    const bad = await cli('experiment', 'archive', 'x');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('experiment id must be a whole number such as 3 (got "x")');
  });

  it('plan: "--seeds 42" is one seed, --random-seeds 3 draws three', async () => {
    const one = await cli('plan', '--model', 'flux-dev', '--steps', '10,20', '--seeds', '42', '--prompt', 'a fox', '--json');
    expect(JSON.parse(one.out).plan.seeds).toEqual(['42']);
    const drawn = await cli('plan', '--model', 'flux-dev', '--steps', '10,20', '--random-seeds', '3', '--prompt', 'a cat', '--json');
    expect(JSON.parse(drawn.out).plan.seeds).toHaveLength(3);
  });
});
