import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitJsonArray, JsonShapeError } from '../../src/services/json-array-splitter.js';

async function split(chunks: string[]) {
  const state = { sawContent: false };
  const out: { line: number; text: string }[] = [];
  for await (const element of splitJsonArray((async function* () { yield* chunks; })(), { maxElementLength: 1000 }, state)) {
    out.push(element);
  }
  return { elements: out, sawContent: state.sawContent };
}

/** Cuts `text` into pieces at the given positions. */
function cut(text: string, at: number[]): string[] {
  const points = [...new Set(at.map((p) => p % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let last = 0;
  for (const p of points) {
    pieces.push(text.slice(last, p));
    last = p;
  }
  pieces.push(text.slice(last));
  return pieces;
}

describe('splitJsonArray', () => {
  it('yields each element with the line it starts on', async () => {
    const { elements } = await split(['[\n {"a": "x,]}\\"["},\n', '  [1, 2],\n 3 ,\n"s"\n]\n']);
    expect(elements).toEqual([
      { line: 2, text: '{"a": "x,]}\\"["}' },
      { line: 3, text: '[1, 2]' },
      { line: 4, text: '3 ' },
      { line: 5, text: '"s"\n' },
    ]);
  });

  it('reads the runs array of a wrapper object and skips its other keys', async () => {
    const { elements } = await split(['{"total": 2, "x": {"runs": [9]}, "runs": [{"b":1},{"b":2}], "nextCursor": null}']);
    expect(elements.map((e) => e.text)).toEqual(['{"b":1}', '{"b":2}']);
  });

  it('gives the same elements however the text is cut into chunks', async () => {
    const doc = JSON.stringify({ note: 'a "runs": [', runs: [{ p: 'a,b]\\"' }, { q: [1, { r: '}' }] }, 3, 'ü🦊'] }, null, 1);
    const expected = JSON.parse(doc).runs;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 8 }), async (at) => {
        const { elements } = await split(cut(doc, at));
        expect(elements.map((e) => JSON.parse(e.text))).toEqual(expected);
      }),
    );
  });

  it('yields nothing for whitespace and for an empty array, and tells them apart', async () => {
    expect(await split([' \n '])).toEqual({ elements: [], sawContent: false });
    expect(await split(['[ ]'])).toEqual({ elements: [], sawContent: true });
  });

  it.each([
    ['42', /an array of runs/],
    ['[1,,2]', /a run is missing before the ','/],
    ['[1,]', /a run is missing before the '\]'/],
    ['[{"a":1]', /unbalanced '\]'/],
    ['[1] 2', /unexpected text after the end/],
    ['[{"a": "b', /ends before the run starting at line 1 is closed/],
    ['{"other": []}', /no "runs" array/],
  ])('refuses %s', async (text, message) => {
    await expect(split([text])).rejects.toThrow(message);
    await expect(split([text])).rejects.toBeInstanceOf(JsonShapeError);
  });

  it('refuses an element longer than the limit', async () => {
    await expect(split(['[', `"${'x'.repeat(600)}`, `${'x'.repeat(600)}"]`])).rejects.toThrow(/longer than 1000 characters/);
  });
});
