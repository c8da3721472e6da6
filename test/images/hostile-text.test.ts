import { describe, expect, it } from 'vitest';
import { readGenerationMetadata } from '../../src/images/read-generation-metadata.js';
import { buildPng, tEXt } from './image-builders.js';

/** Texts just under the 1 MiB cap, shaped to make naive regular expressions backtrack. */
const SIZE = 1_000_000;
const HOSTILE_TEXTS: Record<string, string> = {
  spaces: ' '.repeat(SIZE),
  letters: 'a'.repeat(SIZE),
  'colons and quotes': 'k:"'.repeat(SIZE / 3),
  'an unterminated quote then commas': `Steps: 1, k:"${'a,'.repeat(SIZE / 2 - 10)}`,
  'many settings-like lines': 'Steps: 1, a: 2\n'.repeat(SIZE / 15),
  'a huge number': `{"steps": "${'1'.repeat(SIZE - 20)}x", "seed": "${'0'.repeat(1000)}x"}`,
  'deep JSON': `${'['.repeat(SIZE / 2)}${']'.repeat(SIZE / 2)}`,
};

describe('hostile text within the size cap', () => {
  for (const [name, text] of Object.entries(HOSTILE_TEXTS)) {
    it(`reads ${name} in linear time`, () => {
      const png = buildPng({ before: ['parameters', 'prompt', 'workflow'].map((key) => tEXt(key, text)) });
      const started = performance.now();
      const result = readGenerationMetadata(png, { maxTotalTextBytes: 4 * SIZE });
      expect(result.ok).toBe(true);
      expect(performance.now() - started).toBeLessThan(3000);
    });
  }
});
