import { z } from "zod";
import { MetricName } from "./metric-values";
import { Step } from "./common";

/** The largest media file accepted, over REST and Trackio's `/api/upload` alike. */
export const MAX_MEDIA_BYTES = 50 * 1024 * 1024;

export const MediaKind = z.enum(["image", "audio", "video"]);
export type MediaKind = z.infer<typeof MediaKind>;

/**
 * The content types Trackflare stores, with their file extension and kind. Aliases clients send
 * (Python's `mimetypes` says `audio/x-wav`) are kept as sent, so a file reads back as it was
 * uploaded. SVG can carry script, so it is only ever served as an attachment.
 */
export const MEDIA_TYPES: Record<string, { ext: string; kind: MediaKind }> = {
  "image/png": { ext: "png", kind: "image" },
  "image/jpeg": { ext: "jpg", kind: "image" },
  "image/gif": { ext: "gif", kind: "image" },
  "image/webp": { ext: "webp", kind: "image" },
  "image/svg+xml": { ext: "svg", kind: "image" },
  "audio/wav": { ext: "wav", kind: "audio" },
  "audio/x-wav": { ext: "wav", kind: "audio" },
  "audio/wave": { ext: "wav", kind: "audio" },
  "audio/mpeg": { ext: "mp3", kind: "audio" },
  "audio/ogg": { ext: "ogg", kind: "audio" },
  "audio/flac": { ext: "flac", kind: "audio" },
  "audio/x-flac": { ext: "flac", kind: "audio" },
  "video/mp4": { ext: "mp4", kind: "video" },
  "video/webm": { ext: "webm", kind: "video" },
};
export const MEDIA_CONTENT_TYPES = Object.keys(MEDIA_TYPES);

/** The allowed content type a file name's extension stands for (for parts sent as octet-stream). */
export function contentTypeForName(name: string): string | null {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  if (!ext) return null;
  const alias: Record<string, string> = { jpeg: "image/jpeg", oga: "audio/ogg" };
  if (alias[ext]) return alias[ext];
  return Object.entries(MEDIA_TYPES).find(([, t]) => t.ext === ext)?.[0] ?? null;
}

/** `image/png; charset=…` → `image/png`, lower case; null when it is not on the allow-list. */
export function allowedContentType(header: string | null | undefined): string | null {
  const base = (header ?? "").split(";")[0].trim().toLowerCase();
  return Object.hasOwn(MEDIA_TYPES, base) ? base : null;
}

/** Trackio's `_type` of each kind; a video may be a gif (Trackio writes small clips as one). */
export const MEDIA_VALUE_TYPES = { image: "trackio.image", audio: "trackio.audio", video: "trackio.video" } as const;

/** A client-chosen id for an upload: a retried upload with the same id stores nothing twice. */
export const MediaId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "id must be 1-64 letters, digits, '_' or '-'");

/** A file name inside a run's step: no directories, nothing hidden, no control characters. */
export const MediaFileName = z
  .string()
  .min(1, "file name must not be empty")
  .max(200, "file name must be at most 200 characters")
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._ -]*$/, "file name may contain only letters, digits, '.', '_', '-' and spaces, and must not start with '.'");

/** The query of `POST /v1/projects/:project/runs/:run/media` (the body is the file itself). */
export const UploadMediaQuery = z.object({
  step: z.coerce.number({ error: "step must be an integer" }).pipe(Step),
  name: MetricName,
  caption: z.string().max(1024, "caption must be at most 1024 characters").optional(),
  id: MediaId.optional(),
  /** Only for `image/gif`: whether it is logged as a video (Trackio's clips are gifs). */
  kind: MediaKind.optional(),
});
export type UploadMediaQuery = z.input<typeof UploadMediaQuery>;

/**
 * What a media metric value holds, Trackio's shape plus what Trackflare knows of the file. Log it
 * as a metric value (`{"samples/pred": ref}`) or inside a table cell.
 */
export const MediaRef = z.object({
  _type: z.enum(["trackio.image", "trackio.audio", "trackio.video"]),
  file_path: z.string(),
  caption: z.string().nullable(),
  content_type: z.string(),
  size: z.number().int(),
  sha256: z.string(),
});
export type MediaRef = z.infer<typeof MediaRef>;

/** One stored file of a run, as listed. */
export const MediaItem = MediaRef.extend({ name: z.string().nullable(), step: z.number().int(), kind: MediaKind, created_at: z.string() });
export type MediaItem = z.infer<typeof MediaItem>;

export const MediaList = z.object({ project: z.string(), run: z.string(), run_id: z.string(), media: z.array(MediaItem) });
export type MediaList = z.infer<typeof MediaList>;

/** A run's media, table and histogram values by metric name, in step order (the Media & Tables view). */
export const RichValues = z.object({
  project: z.string(),
  run: z.string(),
  run_id: z.string(),
  metrics: z.record(z.string(), z.array(z.object({ step: z.number().int(), value: z.json() }))),
  /** True when the run holds more than MAX_RICH_VALUES such values and only the first were returned. */
  truncated: z.boolean(),
});
export type RichValues = z.infer<typeof RichValues>;
export const MAX_RICH_VALUES = 10_000;

export const ListMediaQuery = z.object({
  name: MetricName.optional(),
  step: z.coerce.number({ error: "step must be an integer" }).pipe(Step).optional(),
});

/** Trackio's table value: rows as objects, cells may hold media references. */
export const TableValue = z.object({ _type: z.literal("trackio.table"), _value: z.array(z.record(z.string(), z.json())) });
/** Trackio's histogram value: `bins` has one more edge than `values` has counts. */
export const HistogramValue = z.object({ _type: z.literal("trackio.histogram"), bins: z.array(z.number()), values: z.array(z.number()) });
