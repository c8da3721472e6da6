import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import type { ImportFormat } from '../../src/db/schema.js';
import { ImportRejectedError } from '../../src/services/import-errors.js';
import { readImportRecords } from '../../src/services/import-records.js';

// The import readers (CSV, JSON, NDJSON) and the CLI's ad-hoc CSV analysis under arbitrary text:
// they read it or refuse it with a message, never crash, and the way the bytes are cut into chunks
// (as they arrive over a network) never changes what is read.

let inputs = 0;
afterAll(() => console.log(`CSV/JSON reader fuzzing: ${inputs} inputs tried, each read or refused with a message`));

async function* chunked(text: string, cuts: readonly number[]): AsyncGenerator<string> {
  let start = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    const end = Math.min(text.length, Math.max(start, Math.floor(cut * text.length)));
    if (end > start) yield text.slice(start, end);
    start = end;
  }
  if (start < text.length) yield text.slice(start);
}

/** Everything the reader yields, or the message it refuses the file with. */
async function readAll(format: ImportFormat, text: string, cuts: readonly number[]): Promise<{ records: unknown[] } | { refused: string }> {
  const records: unknown[] = [];
  try {
    for await (const record of readImportRecords(format, chunked(text, cuts), { sawContent: false })) {
      if (record.problem) expect(record.problem.message.length).toBeGreaterThan(3);
      else expect(typeof record.fields).toBe('object');
      records.push(record);
    }
    return { records };
  } catch (err) {
    expect(err, String(err)).toBeInstanceOf(ImportRejectedError);
    return { refused: (err as Error).message };
  }
}

const csvText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc
    .array(fc.array(fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('"', '""', '"a\nb"', '"x', ',', '\r\n', '\r', 'flux-dev', '30', '\ufeff', '=1')), { maxLength: 8 }), { maxLength: 8 })
    .map((rows) => ['model,steps,score,prompt,tags', ...rows.map((r) => r.join(','))].join('\n')),
);
const jsonText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 6 }).map((v) => JSON.stringify(v, null, 1)),
  fc.array(fc.oneof(fc.constantFrom('[', ']', '{', '}', ',', '"', '\\', ':', '"model"', '"flux-dev"', '30', ' ', '\n', '"\\u00'), fc.string({ maxLength: 4 })), { maxLength: 30 }).map((parts) => parts.join('')),
);
const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 });

describe('import readers', () => {
  for (const [format, text] of [['csv', csvText], ['json', jsonText], ['ndjson', jsonText]] as const) {
    it(`${format}: reads or refuses any text, the same however it is cut into chunks`, async () => {
      await fc.assert(
        fc.asyncProperty(text, cuts, async (input, where) => {
          inputs++;
          const whole = await readAll(format, input, []);
          const pieces = await readAll(format, input, where);
          expect(pieces).toEqual(whole);
        }),
        { numRuns: 400 },
      );
    });
  }
});

describe('sweetspot analyze FILE.csv', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sweetspot-fuzz-analyze-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('analyses or refuses any CSV with a message (exit 0 or 2, never a crash)', async () => {
    const env = { SWEETSPOT_DB: path.join(dir, 'db.sqlite'), SWEETSPOT_DATA_DIR: dir };
    const rows = fc.array(fc.tuple(fc.oneof(fc.integer({ min: -1, max: 60 }), fc.string({ maxLength: 4 })), fc.oneof(fc.double({ min: -1, max: 11 }), fc.string({ maxLength: 4 }), fc.constant(''))), { maxLength: 12 });
    const file = fc.oneof(
      rows.map((r) => ['steps,score', ...r.map(([s, q]) => `${s},${q}`)].join('\n')),
      csvText,
    );
    await fc.assert(
      fc.asyncProperty(file, async (text) => {
        inputs++;
        const target = path.join(dir, 'in.csv');
        fs.writeFileSync(target, text);
        let err = '';
        const code = await runCli(['analyze', target], { env, out: () => undefined, err: (t) => (err += t), isTty: false });
        expect([0, 2], err).toContain(code);
        if (code === 2) expect(err).toMatch(/^error: /);
      }),
      { numRuns: 80 },
    );
  });
});
