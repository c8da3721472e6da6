import { describe, expect, it } from 'vitest';
import { useCliSandbox } from '../helpers/cli.js';

const { cli, cliWithStdin } = useCliSandbox();

const ndjson = (...lines: unknown[]) => lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n';

async function storedRuns(): Promise<{ steps: number; score: number | null; hardware: string | null; seed: string | null }[]> {
  return JSON.parse((await cli('runs', '--json', '--sort', 'steps', '--order', 'asc')).out).runs;
}

describe('sweetspot log --stdin', () => {
  it('logs one run per NDJSON line, with the options as defaults for what a line leaves out', async () => {
    const input = ndjson(
      { model: 'flux-dev', steps: 20, durationMs: 13780, score: 5.1, seed: '18446744073709551615' },
      '',
      { model: 'flux-dev', steps: 30, durationMs: 20480, score: 6.8, hardware: 'A100' },
      { model: 'flux-dev', steps: 40, score: 7.4 },
    );
    const res = await cliWithStdin(input, 'log', '--stdin', '--hardware', 'RTX 4090');
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    expect(res.out).toBe(
      'line 1: Logged run #1: FLUX.1 Dev, 20 steps, 13.8 s, score 5.1\n' +
        'line 3: Logged run #2: FLUX.1 Dev, 30 steps, 20.5 s, score 6.8\n' +
        'line 4: Logged run #3: FLUX.1 Dev, 40 steps, score 7.4\n',
    );
    expect(await storedRuns()).toMatchObject([
      { steps: 20, score: 5.1, hardware: 'RTX 4090', seed: '18446744073709551615' },
      { steps: 30, score: 6.8, hardware: 'A100' },
      { steps: 40, score: 7.4, hardware: 'RTX 4090' },
    ]);
  });

  it('refuses a bad line with its line number and the field, stores nothing of it, and logs the others', async () => {
    const input = ndjson({ model: 'flux-dev', steps: 20, score: 5 }, { model: 'flux-dev', steps: 0, score: 11 }, '{"model": "flux-dev", "steps": ', [1, 2], { model: 'flux-dev', steps: 30, score: 7 });
    const res = await cliWithStdin(input, 'log', '--stdin');
    expect(res.code).toBe(2);
    const errors = res.err.split('\n').filter((line) => line !== '' && !line.includes('warning:'));
    expect(errors[0]).toMatch(/^line 2: the run was not logged: steps: .*; score: /);
    expect(errors[1]).toMatch(/^line 3: the run was not logged: not valid JSON/);
    expect(errors[2]).toMatch(/^line 4: the run was not logged: expected a JSON object/);
    expect(errors[3]).toBe('error: 3 of 5 lines were refused (nothing of them was stored); the other 2 were logged');
    expect((await storedRuns()).map((run) => run.steps)).toEqual([20, 30]);
  });

  it('with --json answers every line with one line of JSON: the stored run or the refusal', async () => {
    const input = ndjson({ model: 'flux-dev', steps: 25, score: 7 }, { model: 'no-such-model', steps: 25 }, { model: 'flux-dev', steps: 35, unknownField: 1 });
    const res = await cliWithStdin(input, 'log', '--stdin', '--json');
    const answers = res.out.trim().split('\n').map((line) => JSON.parse(line));
    expect(answers).toHaveLength(3);
    expect(answers[0]).toMatchObject({ id: 1, model: 'flux-dev', steps: 25, score: 7, source: 'cli' });
    expect(answers[1].line).toBe(2);
    expect(answers[1].error.message).toMatch(/model/);
    expect(answers[2]).toMatchObject({ line: 3, error: { details: [{ field: 'unknownField' }] } });
    expect(res.code).toBe(2);
    expect((await storedRuns()).map((run) => run.steps)).toEqual([25]);
  });

  it('without --stdin, --model and --steps are still required', async () => {
    const res = await cli('log', '--model', 'flux-dev');
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/required option '--steps <n>' not specified/);
  });
});
