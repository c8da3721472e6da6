// Helpers that turn an HTML form post into the same input objects the JSON API takes.

const RUN_FORM_FIELDS = [
  'model', 'steps', 'score', 'seed', 'prompt', 'negativePrompt', 'sampler', 'guidance', 'width', 'height',
  'hardware', 'useCase', 'phase', 'tags', 'notes',
] as const;

/** Picks the run fields from a form body; the duration is typed in seconds and stored in ms. */
export function runInputFromForm(body: Record<string, unknown>, { partial = false } = {}): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of RUN_FORM_FIELDS) {
    const value = body[field];
    if (typeof value !== 'string') continue;
    if (partial) input[field] = value.trim() === '' && field !== 'model' && field !== 'steps' ? null : value;
    else if (value.trim() !== '') input[field] = value;
  }
  if (partial && typeof body.tags === 'string' && body.tags.trim() === '') input.tags = [];
  const seconds = body.durationSeconds;
  if (typeof seconds === 'string' && seconds.trim() !== '') {
    const n = Number(seconds.trim());
    input.durationMs = Number.isFinite(n) ? Math.round(n * 1000) : seconds;
  } else if (partial && typeof seconds === 'string') {
    input.durationMs = null;
  }
  return input;
}

/** Field names in validation messages say `durationMs`; the form field is in seconds. */
export function formFieldName(field: string): string {
  return field === 'durationMs' ? 'durationSeconds' : field;
}

const MODEL_FORM_FIELDS = ['slug', 'name', 'notes', 'minSteps', 'recommendedLow', 'recommendedHigh', 'maxSteps', 'sweetSpot'] as const;

export function modelInputFromForm(body: Record<string, unknown>, { partial = false } = {}): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of MODEL_FORM_FIELDS) {
    const value = body[field];
    if (typeof value !== 'string') continue;
    if (value.trim() !== '') input[field] = value;
    else if (partial && field !== 'name') input[field] = null;
  }
  return input;
}
