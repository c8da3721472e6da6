import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseComfyUiPrompt } from '../../src/images/parse-comfyui-prompt.js';
import { readGenerationMetadata, type GenerationMetadata } from '../../src/images/read-generation-metadata.js';
import { buildPng, tEXt } from './image-builders.js';

function metadataOf(chunks: Record<string, string>): GenerationMetadata | null {
  const result = readGenerationMetadata(buildPng({ before: Object.entries(chunks).map(([key, text]) => tEXt(key, text)) }));
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.metadata;
}

/** SDXL base pass at 1024² then a latent upscale pass; the upscale sampler has the lower id on purpose. */
const TWO_PASS_GRAPH = `{
  "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sd_xl_base_1.0.safetensors"}},
  "10": {"class_type": "LoraLoader", "inputs": {"lora_name": "detail.safetensors", "strength_model": 0.8, "strength_clip": 0.8, "model": ["4", 0], "clip": ["4", 1]}},
  "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 1024, "height": 1024, "batch_size": 1}},
  "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a lighthouse at dusk", "clip": ["10", 1]}},
  "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "blurry", "clip": ["10", 1]}},
  "3": {"class_type": "KSampler", "inputs": {"seed": 111, "steps": 25, "cfg": 7, "sampler_name": "euler", "scheduler": "normal", "denoise": 1,
        "model": ["10", 0], "positive": ["6", 0], "negative": ["7", 0], "latent_image": ["5", 0]}},
  "11": {"class_type": "LatentUpscaleBy", "inputs": {"upscale_method": "nearest-exact", "scale_by": 1.5, "samples": ["3", 0]}},
  "2": {"class_type": "KSampler", "inputs": {"seed": 1125899906842624123, "steps": 15, "cfg": 5, "sampler_name": "dpmpp_2m", "scheduler": "karras", "denoise": 0.5,
        "model": ["10", 0], "positive": ["6", 0], "negative": ["7", 0], "latent_image": ["11", 0]}},
  "8": {"class_type": "VAEDecode", "inputs": {"samples": ["2", 0], "vae": ["4", 2]}},
  "9": {"class_type": "SaveImage", "inputs": {"filename_prefix": "ComfyUI", "images": ["8", 0]}}
}`;

describe('ComfyUI prompt graphs', () => {
  it('reports the first pass of a two-sampler graph and keeps the upscale pass, big seed exact', () => {
    const metadata = metadataOf({ prompt: TWO_PASS_GRAPH });
    expect(metadata).toMatchObject({
      tool: 'comfyui',
      steps: 25,
      sampler: 'euler',
      scheduler: 'normal',
      seed: '111',
      cfg: 7,
      guidance: null,
      width: 1024,
      height: 1024,
      model: 'sd_xl_base_1.0.safetensors',
      prompt: 'a lighthouse at dusk',
      negativePrompt: 'blurry',
    });
    expect(metadata?.otherSamplers).toEqual([
      { steps: 15, sampler: 'dpmpp_2m', seed: '1125899906842624123', cfg: 5, denoise: 0.5 },
    ]);
  });

  it('follows the model through a LoRA chain to the checkpoint (CheckpointLoader with a config)', () => {
    const graph = {
      '1': { class_type: 'CheckpointLoader', inputs: { config_name: 'v1-inference.yaml', ckpt_name: 'dreamshaper_8.safetensors' } },
      '2': { class_type: 'LoraLoader', inputs: { lora_name: 'a.safetensors', model: ['1', 0], clip: ['1', 1] } },
      '3': { class_type: 'LoraLoaderModelOnly', inputs: { lora_name: 'b.safetensors', model: ['2', 0] } },
      '4': { class_type: 'EmptyLatentImage', inputs: { width: 512, height: 768, batch_size: 1 } },
      '5': { class_type: 'CLIPTextEncode', inputs: { text: 'neg', clip: ['2', 1] } },
      '6': { class_type: 'CLIPTextEncode', inputs: { text: 'pos', clip: ['2', 1] } },
      '7': {
        class_type: 'KSampler',
        inputs: { seed: 9, steps: 30, cfg: 6, sampler_name: 'dpmpp_sde', scheduler: 'karras', denoise: 1, model: ['3', 0], positive: ['6', 0], negative: ['5', 0], latent_image: ['4', 0] },
      },
    };
    const metadata = metadataOf({ prompt: JSON.stringify(graph) });
    expect(metadata?.model).toBe('dreamshaper_8.safetensors');
    expect([metadata?.width, metadata?.height]).toEqual([512, 768]);
    expect([metadata?.prompt, metadata?.negativePrompt]).toEqual(['pos', 'neg']);
  });

  it('accepts string node ids (group nodes) and numeric link ids', () => {
    const graph = {
      'ab:1': { class_type: 'UNETLoader', inputs: { unet_name: 'flux1-schnell.safetensors', weight_dtype: 'fp8' } },
      'ab:2': { class_type: 'EmptySD3LatentImage', inputs: { width: 768, height: 512, batch_size: 1 } },
      '3': { class_type: 'CLIPTextEncode', inputs: { text: 'a red fox', clip: ['9', 0] } },
      '4': { class_type: 'CFGGuider', inputs: { cfg: 1, model: ['ab:1', 0], positive: ['3', 0], negative: ['3', 0] } },
      '5': { class_type: 'KSamplerSelect', inputs: { sampler_name: 'euler' } },
      '6': { class_type: 'KarrasScheduler', inputs: { steps: 4, sigma_max: 14.6, sigma_min: 0.03, rho: 7 } },
      '7': { class_type: 'RandomNoise', inputs: { noise_seed: 77 } },
      '8': { class_type: 'SamplerCustomAdvanced', inputs: { noise: [7, 0], guider: ['4', 0], sampler: ['5', 0], sigmas: ['6', 0], latent_image: ['ab:2', 0] } },
    };
    expect(parseComfyUiPrompt(JSON.stringify(graph))).toMatchObject({
      steps: 4,
      sampler: 'euler',
      scheduler: 'karras',
      seed: '77',
      cfg: 1,
      model: 'flux1-schnell.safetensors',
      width: 768,
      height: 512,
      prompt: 'a red fox',
    });
  });

  it('follows a seed linked to a seed node', () => {
    const graph = JSON.parse(TWO_PASS_GRAPH) as Record<string, { class_type: string; inputs: Record<string, unknown> }>;
    graph['20'] = { class_type: 'Seed (rgthree)', inputs: { seed: 424242 } };
    graph['3']!.inputs.seed = ['20', 0];
    expect(metadataOf({ prompt: JSON.stringify(graph) })?.seed).toBe('424242');
  });

  it('takes the real seed from elsewhere when the sampler says -1 (random)', () => {
    const graph = TWO_PASS_GRAPH.replace('"seed": 111', '"seed": -1');
    // Written as text: a JS number literal would already have lost the seed's last digits.
    const workflow =
      '{"nodes": [{"id": 3, "type": "KSampler", "mode": 0, "inputs": [], ' +
      '"widgets_values": [987654321987654321, "randomize", 25, 7, "euler", "normal", 1]}], "links": []}';
    const metadata = metadataOf({ prompt: graph, workflow });
    expect(metadata?.seed).toBe('987654321987654321');
    expect(metadata?.steps).toBe(25);
    expect(metadataOf({ prompt: graph })?.seed).toBeNull();
  });

  it('takes the seed from a ComfyUI graph when the infotext seed is -1', () => {
    const metadata = metadataOf({ parameters: 'a cat\nSteps: 25, Sampler: Euler, CFG scale: 7, Seed: -1', prompt: TWO_PASS_GRAPH });
    expect(metadata?.tool).toBe('a1111');
    expect(metadata?.seed).toBe('111');
  });
});

describe('ComfyUI workflow without a prompt chunk', () => {
  const fixtures = new URL('../fixtures/images/', import.meta.url);
  const cases = [
    { file: 'comfyui__flux_dev_unetloader_samplercustomadvanced.png', guidance: 3.5 },
    { file: 'comfyui__sd15_hypernetwork_ksampler.png', guidance: null },
  ];

  for (const { file, guidance } of cases) {
    it(`${file}: the workflow alone gives the same settings as the prompt graph`, () => {
      const full = readGenerationMetadata(readFileSync(new URL(file, fixtures)));
      if (!full.ok || full.metadata === null) throw new Error('fixture unreadable');
      const workflow = full.texts.workflow;
      expect(workflow).toBeDefined();
      const fromWorkflow = metadataOf({ workflow: workflow ?? '' });
      const expected = full.metadata;
      expect(fromWorkflow).toMatchObject({
        tool: 'comfyui',
        steps: expected.steps,
        sampler: expected.sampler,
        scheduler: expected.scheduler,
        seed: expected.seed,
        cfg: expected.cfg,
        guidance,
        model: expected.model,
        width: expected.width,
        height: expected.height,
        prompt: expected.prompt,
      });
    });
  }
});
