import sharp from 'sharp';
import { crc32 } from '../images/crc32.js';

// Synthetic renders for the demo: a sharp-edged picture blurred less and less as the step count
// grows, so that sharpness rises and the SSIM to the highest-step render converges the way real
// renders do — and the gallery, the rate page and the image metrics have something to show.

/** A sharp-edged grey test picture (squares, stripes, a diagonal) of `size`², varied by `variant`. */
function testPicture(size: number, variant: number): Buffer {
  const pixels = Buffer.alloc(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const squares = (Math.floor((x + variant * 7) / 16) + Math.floor(y / 16)) % 2 === 0;
      const stripes = x > size / 2 && Math.floor(y / (3 + variant)) % 2 === 0;
      const diagonal = Math.abs(x - y - variant * 10) < 3;
      const v = diagonal ? 250 : stripes ? 30 : squares ? 205 : 70;
      const i = (y * size + x) * 3;
      // A tint per variant so the prompts look different in the gallery.
      pixels[i] = Math.min(255, v + (variant % 2) * 30);
      pixels[i + 1] = v;
      pixels[i + 2] = Math.min(255, v + ((variant + 1) % 2) * 30);
    }
  }
  return pixels;
}

/** A PNG tEXt chunk: length, type, keyword NUL text, CRC over type and data. */
function textChunk(keyword: string, text: string): Buffer {
  const data = Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0]), Buffer.from(text, 'latin1')]);
  const typeAndData = Buffer.concat([Buffer.from('tEXt', 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData) >>> 0);
  return Buffer.concat([length, typeAndData, crc]);
}

export interface DemoRenderSettings {
  prompt: string;
  steps: number;
  seed: string;
  /** The checkpoint name written into the file, as A1111 writes it. */
  model: string;
  /** How fast the render sharpens with steps (the model's τ). */
  tau: number;
  variant: number;
  size?: number;
}

/**
 * One synthetic render as a PNG carrying A1111 `parameters` (prompt, steps, seed, size, model):
 * Gaussian blur σ = 0.4 + 5·e^(−steps/τ), so more steps are sharper and closer to the last render,
 * flattening out past about 3τ.
 */
export async function demoRender(settings: DemoRenderSettings): Promise<Buffer> {
  const size = settings.size ?? 128;
  const sigma = 0.4 + 5 * Math.exp(-settings.steps / settings.tau);
  const png = await sharp(testPicture(size, settings.variant), { raw: { width: size, height: size, channels: 3 } })
    .blur({ sigma, precision: 'float', minAmplitude: 0.001 })
    .png()
    .toBuffer();
  const parameters =
    `${settings.prompt}\nNegative prompt: blurry\n` +
    `Steps: ${settings.steps}, Sampler: Euler, CFG scale: 1, Seed: ${settings.seed}, Size: ${size}x${size}, Model: ${settings.model}`;
  // After the signature (8 bytes) and the IHDR chunk (25 bytes).
  return Buffer.concat([png.subarray(0, 33), textChunk('parameters', parameters), png.subarray(33)]);
}
