import type { Kysely } from 'kysely';

// The image metrics as they are measured (src/analysis/sharpness.ts, ssim.ts): the descriptions say
// their scale, so a reader knows what the default δ means. The δ values themselves (sharpness 0.02,
// ssim_to_reference 0.01) already fit these scales. Frozen in time: no app imports; portable SQL.

const DESCRIPTIONS: [string, string, string][] = [
  [
    'sharpness',
    'Image sharpness: log10(1 + variance of the Laplacian) of a 256×256 grey copy (values 0–255); comparable across image sizes. ' +
      '+0.02 ≈ 5% more edge energy, +0.3 doubles it; flat = 0, typical renders 2–3.5. Higher is sharper (noise also scores high).',
    'Image sharpness (variance of the Laplacian of a grey copy); higher is sharper.',
  ],
  [
    'ssim_to_reference',
    'Convergence: mean SSIM (Wang et al. 2004, 11×11 Gaussian window) of a 256×256 grey copy against the render with the most steps ' +
      'of the same model, prompt and seed (which scores 1). 0–1, higher is closer.',
    'Structural similarity to the render with the most steps of the same prompt and seed.',
  ],
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, description] of DESCRIPTIONS) {
    await db.updateTable('metrics').set({ description }).where('name', '=', name).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name, , previous] of DESCRIPTIONS) {
    await db.updateTable('metrics').set({ description: previous }).where('name', '=', name).execute();
  }
}
