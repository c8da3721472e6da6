import type { Generated, Insertable, Selectable } from 'kysely';

/**
 * A ComfyUI or AUTOMATIC1111/Forge server sweetspot renders on. Kept beside schema.ts rather than in
 * its Database interface, so the renderers feature adds its table without touching the shared file;
 * the store reaches it through `db.withTables<RenderersSchema>()`.
 */
export interface RendererTable {
  id: Generated<number>;
  /** 'comfyui' | 'a1111' */
  kind: string;
  /** Normalised http(s) base URL. */
  url: string;
  name: string;
  /** The device name the renderer reported when it was added; null when its API names none. */
  hardware: string | null;
  /** ComfyUI: the API-format workflow (JSON text, big integers kept as written). */
  workflow: string | null;
  /** ComfyUI: the WorkflowMapping found in it (JSON). */
  mapping: string | null;
  created_at: string;
}

// A type alias, not an interface: withTables needs a type with an implicit index signature.
export type RenderersSchema = {
  renderers: RendererTable;
};

export type RendererRow = Selectable<RendererTable>;
export type NewRendererRow = Insertable<RendererTable>;
