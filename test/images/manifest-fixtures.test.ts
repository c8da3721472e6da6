import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readGenerationMetadata } from '../../src/images/read-generation-metadata.js';

interface ManifestEntry {
  file: string;
  tool: string;
  expected: {
    steps: number;
    sampler: string;
    seed: number;
    cfg: number | null;
    model: string;
    width: number;
    height: number;
    prompt_starts_with: string;
  };
  extra?: { guidance?: number };
}

const fixtures = new URL('../fixtures/images/', import.meta.url);
const manifestText = readFileSync(new URL('MANIFEST.json', fixtures), 'utf8');
const manifest = JSON.parse(manifestText) as ManifestEntry[];

/**
 * The seed exactly as MANIFEST.json writes it: `JSON.parse` would round seeds past 2^53, so the
 * digits are taken from the manifest's text.
 */
function seedDigits(file: string): string {
  const start = manifestText.indexOf(`"file": "${file}"`);
  const match = /"seed":\s*(-?\d+)/.exec(manifestText.slice(start));
  if (start < 0 || match?.[1] === undefined) throw new Error(`no seed for ${file} in MANIFEST.json`);
  return match[1];
}

describe('real files from MANIFEST.json', () => {
  it('lists fixtures', () => {
    expect(manifest.length).toBeGreaterThan(0);
  });

  for (const entry of manifest) {
    it(`${entry.file}: finds every expected value`, () => {
      const bytes = readFileSync(fileURLToPath(new URL(entry.file, fixtures)));
      const result = readGenerationMetadata(bytes);
      if (!result.ok) throw new Error(`${entry.file}: ${result.code}: ${result.message}`);
      const metadata = result.metadata;
      expect(metadata).not.toBeNull();
      if (metadata === null) return;
      const { expected } = entry;
      expect(metadata.tool).toBe(entry.tool);
      expect(metadata.steps).toBe(expected.steps);
      expect(metadata.sampler).toBe(expected.sampler);
      expect(metadata.seed).toBe(seedDigits(entry.file));
      expect(metadata.cfg).toBe(expected.cfg);
      expect(metadata.model).toBe(expected.model);
      expect(metadata.width).toBe(expected.width);
      expect(metadata.height).toBe(expected.height);
      expect(metadata.prompt?.startsWith(expected.prompt_starts_with)).toBe(true);
      if (entry.extra?.guidance !== undefined) expect(metadata.guidance).toBe(entry.extra.guidance);
    });
  }
});
