// The numbers of reference/quality-steps-guide.md as plain data: seeds for the models table and the
// reference band drawn beside each model's own results. The data is the guide's, not a measurement.

/** One model of the guide with its step ranges (a `ModelReference` with every number known). */
export interface GuideModel {
  slug: string;
  name: string;
  notes: string;
  minSteps: number;
  recommendedLow: number;
  recommendedHigh: number;
  maxSteps: number;
  sweetSpot: number;
}

/** The guide's "Model-Specific Ranges" (notes from its "Optimal Settings" and "Quality vs Speed"). */
export const GUIDE_MODELS: readonly GuideModel[] = deepFreeze<GuideModel[]>([
  {
    slug: 'flux-dev',
    name: 'FLUX.1 Dev',
    notes: 'Balanced quality and speed for daily work (guide: standard work 28–35 steps).',
    minSteps: 20,
    recommendedLow: 28,
    recommendedHigh: 35,
    maxSteps: 50,
    sweetSpot: 30,
  },
  {
    slug: 'flux-schnell',
    name: 'FLUX.1 Schnell',
    notes: 'Distilled for speed: made for 1–4 steps; more steps add time, not quality.',
    minSteps: 1,
    recommendedLow: 2,
    recommendedHigh: 3,
    maxSteps: 4,
    sweetSpot: 3,
  },
  {
    slug: 'flux-pro',
    name: 'FLUX.1 Pro',
    notes: 'Quality priority: final output at 40+ steps.',
    minSteps: 30,
    recommendedLow: 35,
    recommendedHigh: 45,
    maxSteps: 50,
    sweetSpot: 40,
  },
  {
    slug: 'recraft-v3',
    name: 'Recraft v3',
    notes: 'Guide range 25–35 steps, sweet spot 30.',
    minSteps: 20,
    recommendedLow: 25,
    recommendedHigh: 35,
    maxSteps: 50,
    sweetSpot: 30,
  },
]);

/** A step count from the guide; `orMore` marks the guide's "40+". */
export interface GuideStep {
  phase: 'draft' | 'refine' | 'final';
  /** The guide's own words for the step ("Initial Sketches"). */
  label: string;
  steps: number;
  orMore: boolean;
}

export interface GuideUseCase {
  /** Same values as a run's use case. */
  useCase: 'concept-art' | 'portrait' | 'landscape';
  name: string;
  phases: readonly GuideStep[];
}

/** The guide's "Use Case Examples": steps per phase for concept art, portraits and landscapes. */
export const GUIDE_USE_CASES: readonly GuideUseCase[] = deepFreeze<GuideUseCase[]>([
  {
    useCase: 'concept-art',
    name: 'Concept art',
    phases: [
      { phase: 'draft', label: 'Initial sketches', steps: 20, orMore: false },
      { phase: 'refine', label: 'Development', steps: 30, orMore: false },
      { phase: 'final', label: 'Final render', steps: 40, orMore: true },
    ],
  },
  {
    useCase: 'portrait',
    name: 'Portrait',
    phases: [
      { phase: 'draft', label: 'Test shots', steps: 20, orMore: false },
      { phase: 'refine', label: 'Refinement', steps: 35, orMore: false },
      { phase: 'final', label: 'Final image', steps: 45, orMore: true },
    ],
  },
  {
    useCase: 'landscape',
    name: 'Landscape',
    phases: [
      { phase: 'draft', label: 'Composition', steps: 25, orMore: false },
      { phase: 'refine', label: 'Development', steps: 35, orMore: false },
      { phase: 'final', label: 'Final scene', steps: 40, orMore: true },
    ],
  },
]);

export interface GuidePreset {
  preset: 'draft' | 'standard' | 'high-quality';
  name: string;
  stepsLow: number;
  stepsHigh: number;
  useCase: string;
  /** Slugs of the models the guide names for the preset. */
  models: readonly string[];
  time: string;
  quality: string;
}

/** The guide's "Optimal Settings": quick drafts, standard work and high quality. */
export const GUIDE_PRESETS: readonly GuidePreset[] = deepFreeze<GuidePreset[]>([
  {
    preset: 'draft',
    name: 'Quick drafts',
    stepsLow: 20,
    stepsHigh: 20,
    useCase: 'Initial tests',
    models: ['flux-dev', 'flux-schnell'],
    time: 'Fast',
    quality: 'Basic',
  },
  {
    preset: 'standard',
    name: 'Standard work',
    stepsLow: 28,
    stepsHigh: 35,
    useCase: 'Daily work',
    models: ['flux-dev'],
    time: 'Balanced',
    quality: 'Good',
  },
  {
    preset: 'high-quality',
    name: 'High quality',
    stepsLow: 40,
    stepsHigh: 50,
    useCase: 'Final output',
    models: ['flux-pro'],
    time: 'Slower',
    quality: 'Best',
  },
]);

/**
 * The guide's model with this slug, or undefined.
 *
 * Cost: O(1) for the four guide models.
 *
 * @example
 * guideModel('flux-schnell')?.maxSteps; // → 4
 */
export function guideModel(slug: string): GuideModel | undefined {
  return GUIDE_MODELS.find((model) => model.slug === slug);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
