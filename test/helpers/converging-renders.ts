import sharp from 'sharp';
import { concat, tEXt } from '../images/image-builders.js';

/** A1111's infotext for one render. */
export function a1111Parameters(options: { prompt: string; steps: number; seed: number; model: string; width: number; height: number }): string {
  return (
    `${options.prompt}\nNegative prompt: blurry\n` +
    `Steps: ${options.steps}, Sampler: Euler a, CFG scale: 7, Seed: ${options.seed}, Size: ${options.width}x${options.height}, Model: ${options.model}`
  );
}

/** Inserts text chunks right after a PNG's IHDR (signature 8 bytes + IHDR 25 bytes). */
export function withTextChunks(png: Buffer, chunks: Buffer[]): Buffer {
  return concat(png.subarray(0, 33), ...chunks, png.subarray(33));
}

/** A sharp-edged test picture (squares, stripes, a diagonal) of `size`², varied by `variant`. */
export function testPicture(size: number, variant: number): Buffer {
  const pixels = Buffer.alloc(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const squares = (Math.floor((x + variant * 7) / 24) + Math.floor(y / 24)) % 2 === 0;
      const stripes = x > size / 2 && Math.floor(y / (4 + variant)) % 2 === 0;
      const diagonal = Math.abs(x - y - variant * 10) < 3;
      pixels[y * size + x] = diagonal ? 250 : stripes ? 20 : squares ? 200 : 60;
    }
  }
  return pixels;
}

/**
 * The render of one picture "at `steps` steps": Gaussian blur that shrinks exponentially with the
 * steps (σ = 0.5 + 6·e^(−steps/7), computed in floating point), as a PNG carrying A1111 `parameters`. More steps → sharper and
 * closer to the most-steps render, flattening out: a sequence that really converges.
 */
export async function convergingRender(options: { steps: number; seed: number; prompt: string; model: string; size?: number }): Promise<Buffer> {
  const size = options.size ?? 192;
  const sigma = 0.5 + 6 * Math.exp(-options.steps / 7);
  const png = await sharp(testPicture(size, options.seed % 5), { raw: { width: size, height: size, channels: 1 } })
    .blur({ sigma, precision: 'float', minAmplitude: 0.001 })
    .png()
    .toBuffer();
  const parameters = a1111Parameters({ prompt: options.prompt, steps: options.steps, seed: options.seed, model: options.model, width: size, height: size });
  return withTextChunks(png, [tEXt('parameters', parameters)]);
}
