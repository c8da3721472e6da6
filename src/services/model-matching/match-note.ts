import type { ResolvedModel } from '../model-names.js';

/** How an uploaded render's model name was matched, as its upload result reports it. */
export interface ModelMatch {
  /** The model name the file gave, e.g. "flux1-dev-fp8.safetensors". */
  fileModel: string;
  /** The model's slug it was matched to. */
  model: string;
  /** False when the match needs the user's confirmation (a variant, or a model created for the name). */
  exact: boolean;
  /** What to confirm, in words; null for an exact match. */
  note: string | null;
}

/**
 * The confirmation a match needs: none when the file named the model (or a remembered mapping did);
 * a sentence when it matched only after its packing words were dropped, or when a new model was made.
 */
export function describeModelMatch(fileModel: string, resolved: ResolvedModel): ModelMatch {
  const base = { fileModel, model: resolved.model.slug };
  if (resolved.matchedBy === 'variant') {
    return {
      ...base,
      exact: false,
      note: `“${fileModel}” was matched to ${resolved.model.name} as its ${resolved.variant} build: check it, and change the mapping under Model names if it is another model.`,
    };
  }
  if (resolved.matchedBy === 'created') {
    return {
      ...base,
      exact: false,
      note: `“${fileModel}” matched no known model, so a new model '${resolved.model.slug}' was made: merge it into the right one under Model names if it is one you have.`,
    };
  }
  return { ...base, exact: true, note: null };
}
