import type { Request, Response } from 'express';

/** The settings the log form remembers between runs (in a cookie, so each browser keeps its own). */
const REMEMBERED = ['model', 'hardware', 'sampler', 'guidance', 'width', 'height', 'useCase', 'phase', 'tags'] as const;
const COOKIE = 'sweetspot_last';

export type LastSettings = Partial<Record<(typeof REMEMBERED)[number], string>>;

export function readLastSettings(req: Request): LastSettings {
  const raw: unknown = req.cookies?.[COOKIE];
  if (typeof raw !== 'string') return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    const settings: LastSettings = {};
    if (parsed && typeof parsed === 'object') {
      for (const key of REMEMBERED) {
        const value = (parsed as Record<string, unknown>)[key];
        if (typeof value === 'string' && value.length <= 200) settings[key] = value;
      }
    }
    return settings;
  } catch {
    return {};
  }
}

export function rememberSettings(res: Response, body: Record<string, unknown>): void {
  const settings: LastSettings = {};
  for (const key of REMEMBERED) {
    const value = body[key];
    if (typeof value === 'string' && value.trim() !== '') settings[key] = value.trim().slice(0, 200);
  }
  res.cookie(COOKIE, JSON.stringify(settings), { httpOnly: true, sameSite: 'lax', maxAge: 365 * 86_400_000, path: '/' });
}
