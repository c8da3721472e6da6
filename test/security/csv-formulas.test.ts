import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { neutraliseFormula, restoreFormula } from '../../src/services/run-csv-columns.js';
import { createTestApp } from '../helpers/test-app.js';

// Finding 13 of issue #14: CSV neutralisation missed cells starting with a space, a line feed, a
// no-break space, a zero-width space or a full-width ＝.
const MISSED = [' =HYPERLINK("http://evil.example","x")', '\n=1+1', '\u00a0=1+1', '\u200b=1+1', '＝1+1', ' \u200b+1', '＠SUM(A1)', '\ufeff-1+1'];

describe('CSV formula neutralisation', () => {
  it.each(MISSED)('neutralises %j and restores it exactly', (text) => {
    expect(neutraliseFormula(text)).toBe(`'${text}`);
    expect(restoreFormula(neutraliseFormula(text))).toBe(text);
  });

  it('leaves ordinary text alone, including text after leading blanks', () => {
    for (const text of [' a fox', '\u00a0plain', 'a = b', '']) expect(neutraliseFormula(text)).toBe(text);
  });

  it('exports each of those prompts with a leading apostrophe', async () => {
    const t = await createTestApp();
    await request(t.app).post('/api/v1/runs').send(MISSED.map((prompt, i) => ({ model: 'flux-dev', steps: i + 1, score: 5, prompt }))).expect(201);
    const csv = (await request(t.app).get('/api/v1/export/runs.csv').expect(200)).text;
    const rows = parse(csv, { columns: true }) as { prompt: string; steps: string }[];
    const prompts = rows.sort((a, b) => Number(a.steps) - Number(b.steps)).map((r) => r.prompt);
    expect(prompts).toEqual(MISSED.map((text) => `'${text}`));
  });
});
