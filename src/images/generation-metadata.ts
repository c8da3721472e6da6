/** The image tools whose metadata layouts are recognised. */
export type GenerationTool = 'a1111' | 'comfyui' | 'invokeai' | 'fooocus' | 'novelai' | 'swarmui' | 'unknown';

/** One sampling pass besides the main one (a hires fix, an upscale pass, a refiner). */
export interface SamplerPass {
  steps: number | null;
  sampler: string | null;
  /** Decimal string, exact; null when unknown or random (-1). */
  seed: string | null;
  cfg: number | null;
  /** Denoising strength of the pass (1 = from pure noise); null when not stated. */
  denoise: number | null;
}

/** The generation settings found in one image, whatever tool wrote them. */
export interface GenerationMetadata {
  tool: GenerationTool;
  steps: number | null;
  sampler: string | null;
  scheduler: string | null;
  /**
   * Decimal string, kept exact (seeds exceed 2^53). A seed of -1 means "random" and is not the seed
   * used: the reader looks for the real one elsewhere in the file and leaves null when there is none.
   */
  seed: string | null;
  cfg: number | null;
  /** FLUX-style distilled guidance (FluxGuidance, "Distilled CFG Scale"), separate from CFG. */
  guidance: number | null;
  /** Size the tool generated at (may differ from the file's pixels when it was cropped or upscaled). */
  width: number | null;
  height: number | null;
  model: string | null;
  modelHash: string | null;
  prompt: string | null;
  negativePrompt: string | null;
  otherSamplers: SamplerPass[];
}

/**
 * A metadata record with every setting unknown, for parsers to fill in.
 *
 * @example emptyGenerationMetadata('a1111').steps // → null
 */
export function emptyGenerationMetadata(tool: GenerationTool): GenerationMetadata {
  return {
    tool,
    steps: null,
    sampler: null,
    scheduler: null,
    seed: null,
    cfg: null,
    guidance: null,
    width: null,
    height: null,
    model: null,
    modelHash: null,
    prompt: null,
    negativePrompt: null,
    otherSamplers: [],
  };
}
