import { describe, expect, it } from 'vitest';
import { MAX_GRAPH_NODES } from '../../src/images/parse-comfyui-prompt.js';
import { readGenerationMetadata, type ImageMetadataResult } from '../../src/images/read-generation-metadata.js';
import { buildPng, samplerChainGraph, tEXt, zTXt } from './image-builders.js';

function failure(result: ImageMetadataResult): { code: string; message: string } {
  if (result.ok) throw new Error('expected a failure, got ok');
  return result;
}

// Finding 2 of issue #14: a 122 KB PNG holding a 2,000-node chain of KSamplers froze the server for
// 48 s: each sampler walked 256 nodes × 8 keys × 64 links, and the graph was parsed again for each
// parameters-like key.
describe('ComfyUI graph limits', () => {
  it('refuses the 2,000-node sampler chain, naming the node limit', () => {
    const png = buildPng({ before: [zTXt('prompt', samplerChainGraph(2_000))] });
    expect(png.length).toBeLessThan(122_000);
    const result = failure(readGenerationMetadata(png));
    expect(result.code).toBe('too-many-chunks');
    expect(result.message).toContain('2,000 nodes, over the limit of 1,000');
  });

  it('refuses a chain under the node limit once reading it passes the step limit, under every key', () => {
    const chain = samplerChainGraph(MAX_GRAPH_NODES);
    const keys = ['prompt', 'parameters', 'UserComment', 'Comment', 'Description'];
    const result = failure(readGenerationMetadata(buildPng({ before: keys.map((key) => tEXt(key, chain)) })));
    expect(result.code).toBe('too-many-chunks');
    expect(result.message).toContain('500,000 link steps');
  });

  it('refuses an editor workflow with more nodes than the limit', () => {
    const nodes = Array.from({ length: MAX_GRAPH_NODES + 1 }, (_, i) => ({ id: i + 1, type: 'Note', mode: 0, inputs: [], widgets_values: [] }));
    const result = failure(readGenerationMetadata(buildPng({ before: [tEXt('workflow', JSON.stringify({ nodes, links: [] }))] })));
    expect(result.message).toContain('1,001 nodes, over the limit of 1,000');
  });

  it('still reads a short chain: two samplers, the first pass reported', () => {
    const result = readGenerationMetadata(buildPng({ before: [tEXt('prompt', samplerChainGraph(2))] }));
    expect(result.ok && result.metadata).toMatchObject({ tool: 'comfyui', steps: 20, seed: '1', otherSamplers: [{ seed: '2' }] });
  });
});
