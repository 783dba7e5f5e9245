import { z } from "zod";
import { DEFAULT_STALE_AFTER_SECONDS, PatchProjectSettings, type ProjectSettings } from "../contract";

/** Both detectors on; `stale_after` from the deployment's STALE_AFTER_SECONDS (600 when unset). */
export function defaultSettings(env: Env): ProjectSettings {
  const s = Number(env.STALE_AFTER_SECONDS ?? DEFAULT_STALE_AFTER_SECONDS);
  return {
    stale_after: Number.isInteger(s) && s > 0 ? s : DEFAULT_STALE_AFTER_SECONDS,
    detectors: { non_finite: true, stale: true },
  };
}

export function applyPatch(base: ProjectSettings, patch: z.output<typeof PatchProjectSettings>): ProjectSettings {
  return {
    stale_after: patch.stale_after ?? base.stale_after,
    detectors: {
      non_finite: patch.detectors?.non_finite ?? base.detectors.non_finite,
      stale: patch.detectors?.stale ?? base.detectors.stale,
    },
  };
}

/**
 * The detectors' part of a project's stored settings JSON (which may hold other features' keys),
 * over the defaults. A stored value that no longer validates falls back to its default.
 */
export function settingsFrom(stored: Record<string, unknown>, env: Env): ProjectSettings {
  const staleAfter = PatchProjectSettings.shape.stale_after.safeParse(stored.stale_after);
  const detectors = PatchProjectSettings.shape.detectors.safeParse(stored.detectors);
  return applyPatch(defaultSettings(env), {
    stale_after: staleAfter.success ? staleAfter.data : undefined,
    detectors: detectors.success ? detectors.data : undefined,
  });
}
