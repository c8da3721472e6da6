import { describe, expect, it } from 'vitest';
import { readGenerationMetadata, type GenerationMetadata } from '../../src/images/read-generation-metadata.js';
import { buildPng, iTXt, tEXt } from './image-builders.js';

function metadataOf(chunks: Record<string, string>): GenerationMetadata | null {
  const result = readGenerationMetadata(buildPng({ before: Object.entries(chunks).map(([key, text]) => iTXt(key, text)) }));
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.metadata;
}

describe('tool layouts', () => {
  it('InvokeAI: sampler under "scheduler", model as an object', () => {
    const json = JSON.stringify({
      generation_mode: 'txt2img',
      positive_prompt: 'a castle',
      negative_prompt: 'fog',
      width: 768,
      height: 512,
      seed: 3293022630,
      cfg_scale: 7.5,
      steps: 40,
      scheduler: 'dpmpp_2m_k',
      model: { model_name: 'sd-1.5', base_model: 'sd-1', hash: 'blake3:abc' },
    });
    expect(metadataOf({ invokeai_metadata: json })).toEqual({
      tool: 'invokeai',
      steps: 40,
      sampler: 'dpmpp_2m_k',
      scheduler: null,
      seed: '3293022630',
      cfg: 7.5,
      guidance: null,
      width: 768,
      height: 512,
      model: 'sd-1.5',
      modelHash: 'blake3:abc',
      prompt: 'a castle',
      negativePrompt: 'fog',
      otherSamplers: [],
    });
  });

  it('Fooocus: JSON flagged by fooocus_scheme, seed past 2^53 as a string', () => {
    const json = JSON.stringify({
      prompt: 'a glass bird',
      negative_prompt: 'lowres',
      styles: "['Fooocus V2']",
      performance: 'Speed',
      steps: 30,
      resolution: '(896, 1152)',
      guidance_scale: 4,
      sharpness: 2,
      sampler: 'dpmpp_2m_sde_gpu',
      scheduler: 'karras',
      seed: '18014398509481985123',
      base_model: 'juggernautXL_v8Rundiffusion',
      base_model_hash: 'aeb7e9e689',
      version: 'Fooocus v2.5.3',
    });
    expect(metadataOf({ parameters: json, fooocus_scheme: 'fooocus' })).toMatchObject({
      tool: 'fooocus',
      steps: 30,
      sampler: 'dpmpp_2m_sde_gpu',
      scheduler: 'karras',
      seed: '18014398509481985123',
      cfg: 4,
      width: 896,
      height: 1152,
      model: 'juggernautXL_v8Rundiffusion',
      modelHash: 'aeb7e9e689',
      prompt: 'a glass bird',
      negativePrompt: 'lowres',
    });
  });

  it('Fooocus: seed written as a bare big number stays exact; the a1111 scheme reads as infotext', () => {
    const json = '{"prompt": "x", "steps": 30, "seed": 18014398509481985123, "full_prompt": ["x"], "base_model": "m"}';
    expect(metadataOf({ parameters: json })?.seed).toBe('18014398509481985123');
    const infotext = 'a bird\nSteps: 30, Sampler: DPM++ 2M SDE Karras, CFG scale: 4, Seed: 18014398509481985123, Size: 896x1152';
    const a1111 = metadataOf({ parameters: infotext, fooocus_scheme: 'a1111' });
    expect(a1111?.tool).toBe('fooocus');
    expect(a1111?.seed).toBe('18014398509481985123');
  });

  it('NovelAI: Comment JSON, scale = CFG, model named in Source, prompt in Description', () => {
    const comment = JSON.stringify({
      prompt: 'long prompt with tags',
      steps: 28,
      height: 1216,
      width: 832,
      scale: 5.5,
      seed: 2817411212,
      sampler: 'k_euler_ancestral',
      noise_schedule: 'karras',
      uc: 'lowres, bad anatomy',
    });
    expect(
      metadataOf({
        Title: 'NovelAI generated image',
        Description: 'a girl reading under a tree',
        Software: 'NovelAI',
        Source: 'NovelAI Diffusion V4 4F6A8B3C',
        Comment: comment,
      }),
    ).toEqual({
      tool: 'novelai',
      steps: 28,
      sampler: 'k_euler_ancestral',
      scheduler: 'karras',
      seed: '2817411212',
      cfg: 5.5,
      guidance: null,
      width: 832,
      height: 1216,
      model: 'NovelAI Diffusion V4 4F6A8B3C',
      modelHash: null,
      prompt: 'a girl reading under a tree',
      negativePrompt: 'lowres, bad anatomy',
      otherSamplers: [],
    });
  });

  it('SwarmUI: sui_image_params JSON in the parameters chunk', () => {
    const json = JSON.stringify({
      sui_image_params: {
        prompt: 'a tram in the rain',
        negativeprompt: 'text',
        model: 'flux1-dev',
        seed: 1526283442,
        steps: 28,
        cfgscale: 1,
        fluxguidancescale: 3.5,
        width: 1344,
        height: 768,
        sampler: 'euler',
        scheduler: 'simple',
      },
      sui_models: [{ name: 'flux1-dev.safetensors', param: 'model', hash: '0xabc' }],
    });
    expect(metadataOf({ parameters: json })).toMatchObject({
      tool: 'swarmui',
      steps: 28,
      sampler: 'euler',
      scheduler: 'simple',
      seed: '1526283442',
      cfg: 1,
      guidance: 3.5,
      width: 1344,
      height: 768,
      model: 'flux1-dev',
      modelHash: '0xabc',
      prompt: 'a tram in the rain',
      negativePrompt: 'text',
    });
  });

  it('an unknown tool with the usual JSON keys gives tool "unknown"; other JSON gives null', () => {
    const result = readGenerationMetadata(buildPng({ before: [tEXt('parameters', '{"steps": 8, "seed": 3, "sampler": "lcm", "cfg": 1.5}')] }));
    expect(result.ok && result.metadata).toMatchObject({ tool: 'unknown', steps: 8, seed: '3', sampler: 'lcm', cfg: 1.5 });
    const other = readGenerationMetadata(buildPng({ before: [tEXt('parameters', '{"hello": "world"}')] }));
    expect(other.ok && other.metadata).toBeNull();
  });
});
