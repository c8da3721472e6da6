import { toCount, toFiniteNumber, toSeedString, toText } from './coerce-value.js';
import { emptyGenerationMetadata, type GenerationMetadata, type GenerationTool } from './generation-metadata.js';

/**
 * One `Key: value` pair of the settings line. A value is either a double-quoted string (which may
 * hold commas and escaped quotes) or runs to the next comma. Same shape as A1111's own `re_param`,
 * but with the key's length bounded and no leading `\s*`, so that a hostile line (a megabyte of
 * spaces or of letters) costs linear time rather than quadratic.
 */
const PARAM_PATTERN = /(\w[\w \-/+.()]{0,63}?):\s*("(?:\\.|[^\\"])*"|[^,]*)(?:,|$)/g;
const NEGATIVE_PREFIX = 'Negative prompt:';

/**
 * The `Key: value` pairs of an A1111 settings line, in order, with quoted values unquoted.
 * Cost: O(line length).
 *
 * @example parseA1111SettingsLine('Steps: 20, Lora hashes: "a: 1, b: 2"')
 * // → Map { 'Steps' => '20', 'Lora hashes' => 'a: 1, b: 2' }
 */
export function parseA1111SettingsLine(line: string): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const match of line.matchAll(PARAM_PATTERN)) {
    const key = match[1]?.trim();
    let value = (match[2] ?? '').trim();
    if (key === undefined || key === '') continue;
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = unquote(value);
    if (!pairs.has(key)) pairs.set(key, value);
  }
  return pairs;
}

function unquote(quoted: string): string {
  try {
    const parsed: unknown = JSON.parse(quoted);
    if (typeof parsed === 'string') return parsed;
  } catch {
    // Not valid JSON escaping: drop the quotes and keep the text as written.
  }
  return quoted.slice(1, -1);
}

/**
 * Reads AUTOMATIC1111 / Forge "infotext" (the PNG `parameters` chunk or EXIF UserComment): the
 * prompt, then an optional `Negative prompt:` block, then one line of `Key: value` pairs. Reads
 * Steps, Sampler, Schedule type, CFG scale, Distilled CFG Scale (FLUX guidance), Seed (kept as its
 * exact digits), Size (WxH), Model, Model hash; a hires-fix pass becomes an entry of `otherSamplers`.
 * Returns null when the text has no settings line (fewer than three `Key: value` pairs including
 * Steps), so free text is not mistaken for infotext. Cost: O(text length).
 *
 * @example parseA1111Parameters('a duck\nNegative prompt: blur\nSteps: 15, Sampler: UniPC, CFG scale: 5, Seed: 1, Size: 512x400')
 * // → { tool: 'a1111', steps: 15, sampler: 'UniPC', cfg: 5, seed: '1', width: 512, height: 400, prompt: 'a duck', negativePrompt: 'blur', … }
 */
export function parseA1111Parameters(text: string, tool: GenerationTool = 'a1111'): GenerationMetadata | null {
  const lines = text.replace(/\r\n?/g, '\n').trim().split('\n');
  let settingsIndex = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    const pairs = parseA1111SettingsLine(lines[i] ?? '');
    if (pairs.size >= 3 && pairs.has('Steps')) {
      settingsIndex = i;
      break;
    }
  }
  if (settingsIndex < 0) return null;
  const settings = parseA1111SettingsLine(lines[settingsIndex] ?? '');

  const promptLines: string[] = [];
  const negativeLines: string[] = [];
  let inNegative = false;
  for (const line of lines.slice(0, settingsIndex)) {
    if (!inNegative && line.startsWith(NEGATIVE_PREFIX)) {
      inNegative = true;
      negativeLines.push(line.slice(NEGATIVE_PREFIX.length));
    } else if (inNegative) negativeLines.push(line);
    else promptLines.push(line);
  }

  const metadata = emptyGenerationMetadata(tool);
  metadata.prompt = toText(promptLines.join('\n'));
  metadata.negativePrompt = toText(negativeLines.join('\n'));
  metadata.steps = toCount(settings.get('Steps'));
  metadata.sampler = toText(settings.get('Sampler'));
  metadata.scheduler = toText(settings.get('Schedule type'));
  metadata.cfg = toFiniteNumber(settings.get('CFG scale'));
  metadata.guidance = toFiniteNumber(settings.get('Distilled CFG Scale'));
  metadata.seed = toSeedString(settings.get('Seed'));
  metadata.model = toText(settings.get('Model'));
  metadata.modelHash = toText(settings.get('Model hash'));
  const size = /^(\d+)\s*x\s*(\d+)$/i.exec(settings.get('Size') ?? '');
  if (size !== null) {
    metadata.width = toCount(size[1]);
    metadata.height = toCount(size[2]);
  }

  if (settings.has('Hires upscaler') || settings.has('Hires upscale') || settings.has('Hires steps')) {
    const hiresSteps = toCount(settings.get('Hires steps'));
    const hiresSampler = toText(settings.get('Hires sampler'));
    metadata.otherSamplers.push({
      // Hires steps 0 means "the same number as the first pass".
      steps: hiresSteps === null || hiresSteps === 0 ? metadata.steps : hiresSteps,
      sampler: hiresSampler === null || hiresSampler === 'Use same sampler' ? metadata.sampler : hiresSampler,
      seed: metadata.seed,
      cfg: toFiniteNumber(settings.get('Hires CFG Scale')) ?? metadata.cfg,
      denoise: toFiniteNumber(settings.get('Denoising strength')),
    });
  }
  return metadata;
}
