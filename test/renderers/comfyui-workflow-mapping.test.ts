import { describe, expect, it } from 'vitest';
import { mapWorkflow, parseApiWorkflow, patchWorkflow, WorkflowError, type ApiWorkflow } from '../../src/renderers/comfyui-workflow-mapping.js';
import { stringifyWithBigIntegers } from '../../src/renderers/json-with-big-integers.js';
import { fluxWorkflow, sdxlWorkflow } from '../helpers/fake-comfyui.js';

const at = (ref: { node: string; input: string; value: unknown } | null) => (ref === null ? null : `${ref.node}.${ref.input}=${String(ref.value)}`);

describe('mapWorkflow', () => {
  it('finds every setting of a KSampler workflow (SDXL)', () => {
    const m = mapWorkflow(parseApiWorkflow(sdxlWorkflow()));
    expect(m.sampler).toEqual({ node: '3', classType: 'KSampler' });
    expect(at(m.steps)).toBe('3.steps=20');
    expect(at(m.seed)).toBe('3.seed=156680208700286');
    expect(at(m.samplerName)).toBe('3.sampler_name=euler');
    expect(at(m.guidance)).toBe('3.cfg=7');
    expect(at(m.width)).toBe('5.width=1024');
    expect(at(m.height)).toBe('5.height=1024');
    expect(at(m.checkpoint)).toBe('4.ckpt_name=sd_xl_base_1.0.safetensors');
    expect(at(m.prompt)).toBe('6.text=a lighthouse on a cliff at dusk');
    expect(at(m.negativePrompt)).toBe('7.text=blurry, watermark');
    expect(m.notes).toEqual([]);
  });

  it('follows the custom-sampling links of a FLUX workflow to BasicScheduler, RandomNoise, FluxGuidance and UNETLoader', () => {
    const m = mapWorkflow(parseApiWorkflow(fluxWorkflow()));
    expect(m.sampler).toEqual({ node: '13', classType: 'SamplerCustomAdvanced' });
    expect(at(m.steps)).toBe('17.steps=20');
    expect(at(m.seed)).toBe('25.noise_seed=219670278747233');
    expect(at(m.samplerName)).toBe('16.sampler_name=euler');
    expect(at(m.guidance)).toBe('26.guidance=3.5');
    expect(at(m.width)).toBe('27.width=1024');
    expect(at(m.checkpoint)).toBe('12.unet_name=flux1-dev.safetensors');
    expect(at(m.prompt)).toBe('6.text=a red fox in fresh snow, golden hour');
    expect(m.negativePrompt).toBeNull();
  });

  it('reads KSamplerAdvanced noise_seed, and a seed widget converted to an input linked to a primitive node', () => {
    const wf = sdxlWorkflow() as unknown as ApiWorkflow;
    wf['3'] = { class_type: 'KSamplerAdvanced', inputs: { ...wf['3']!.inputs, noise_seed: 77, add_noise: 'enable', start_at_step: 0, end_at_step: 10000 } };
    delete wf['3'].inputs.seed;
    expect(at(mapWorkflow(wf).seed)).toBe('3.noise_seed=77');
    wf['3'].inputs.noise_seed = ['40', 0];
    wf['40'] = { class_type: 'Seed (rgthree)', inputs: { seed: 1234 } };
    expect(at(mapWorkflow(wf).seed)).toBe('40.seed=1234');
  });

  it('drives the first pass of a two-sampler (hires fix) workflow and says so', () => {
    const wf = sdxlWorkflow() as unknown as ApiWorkflow;
    // A second pass (node 12) refines node 3's latent; the export lists it first.
    const second = { class_type: 'KSampler', inputs: { ...wf['3']!.inputs, steps: 12, denoise: 0.5, latent_image: ['3', 0] } };
    const reordered: ApiWorkflow = { '12': second, ...wf };
    reordered['8'] = { class_type: 'VAEDecode', inputs: { samples: ['12', 0], vae: ['4', 2] } };
    const m = mapWorkflow(reordered);
    expect(m.sampler.node).toBe('3');
    expect(m.notes.join(' ')).toMatch(/2 samplers .*node 3 .*empty latent/);
  });

  it('refuses a workflow without a sampler, the UI format, and non-objects, saying what to do', () => {
    const noSampler = sdxlWorkflow() as unknown as ApiWorkflow;
    delete noSampler['3'];
    expect(() => mapWorkflow(noSampler)).toThrow(/no sampler node \(one of KSampler, KSamplerAdvanced/);
    expect(() => parseApiWorkflow({ nodes: [], links: [], version: 0.4 })).toThrow(/Export \(API\)/);
    expect(() => parseApiWorkflow([1, 2])).toThrow(WorkflowError);
    expect(() => parseApiWorkflow({ '1': { inputs: {} } })).toThrow(/Node "1" .*class_type/);
    expect(() => parseApiWorkflow({})).toThrow(/no nodes/);
  });

  it('refuses a sampler whose steps come from nowhere', () => {
    const wf = fluxWorkflow() as unknown as ApiWorkflow;
    delete wf['17'];
    wf['13']!.inputs.sigmas = ['99', 0];
    expect(() => mapWorkflow(wf)).toThrow(/node 13, SamplerCustomAdvanced\) has no steps/);
  });
});

describe('patchWorkflow', () => {
  it('writes steps, seed and prompts into a copy and leaves the original alone', () => {
    const original = parseApiWorkflow(sdxlWorkflow());
    const before = JSON.stringify(original);
    const m = mapWorkflow(original);
    const patched = patchWorkflow(original, m, { steps: 35, seed: '42', prompt: 'a cat', negativePrompt: null });
    expect(patched['3']!.inputs).toMatchObject({ steps: 35, seed: 42 });
    expect(patched['6']!.inputs.text).toBe('a cat');
    expect(patched['7']!.inputs.text).toBe('blurry, watermark');
    expect(JSON.stringify(original)).toBe(before);
  });

  it('keeps a seed beyond 2^53 exact in the JSON sent', () => {
    const wf = parseApiWorkflow(fluxWorkflow());
    const patched = patchWorkflow(wf, mapWorkflow(wf), { steps: 28, seed: '18446744073709551615', prompt: null, negativePrompt: null });
    const text = stringifyWithBigIntegers({ prompt: patched });
    expect(text).toContain('"noise_seed":18446744073709551615');
    expect(text).toContain('"steps":28');
  });
});
