import sharp from 'sharp';
import { ssim } from '../../src/analysis/ssim.js';

/** SSIM between two renders' grey pixels (1 = identical): how the convergence metric compares them. */
export async function renderSimilarity(a: Uint8Array, b: Uint8Array): Promise<number> {
  const grey = async (bytes: Uint8Array) => sharp(bytes).greyscale().raw().toBuffer({ resolveWithObject: true });
  const [x, y] = await Promise.all([grey(a), grey(b)]);
  if (x.info.width !== y.info.width || x.info.height !== y.info.height) throw new Error('renders of different sizes');
  return ssim(x.data, y.data, x.info.width, x.info.height);
}
