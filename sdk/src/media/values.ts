import { MEDIA_TYPES, MEDIA_VALUE_TYPES, MAX_MEDIA_BYTES, allowedContentType, contentTypeForName, type MediaKind } from "../../../src/contract";
import { hexId } from "../internal/ids";
import { sniffContentType } from "./sniff";

/** What a media value can be made from: bytes, a Blob (or File), or a file path (Node, Deno, Bun). */
export type MediaSource = Uint8Array | ArrayBuffer | Blob | string;
export type MediaOptions = { caption?: string | null; /** e.g. "image/png"; else from the Blob, the path's extension or the bytes. */ contentType?: string };

/**
 * A file logged as a metric value (`run.log({"samples/pred": new Image(png)})`). `log()` returns at
 * once; the file is uploaded in the background before its entry is sent, and the entry holds
 * Trackio's reference to it (`{"_type": "trackio.image", "file_path", "caption", ...}`).
 */
export abstract class MediaFile {
  abstract readonly kind: MediaKind;
  readonly caption: string | null;
  /** Fixed here, so a retried upload of this file stores it once. */
  readonly uploadId = hexId();

  constructor(
    private readonly source: MediaSource,
    private readonly opts: MediaOptions = {},
  ) {
    this.caption = opts.caption ?? null;
  }

  get _type(): string {
    return MEDIA_VALUE_TYPES[this.kind];
  }

  /** Only the reference the server answers is ever sent; an entry still holding the file is not JSON. */
  toJSON(): never {
    throw new Error(`its ${this.kind} file was not uploaded yet`);
  }

  /** The bytes and content type to upload; throws a plain Error for a file that cannot be sent. */
  async load(): Promise<{ data: Uint8Array | Blob; contentType: string }> {
    let data: Uint8Array | Blob;
    let named: string | null = null;
    if (typeof this.source === "string") {
      const specifier = "node:fs/promises";
      const fs = (await import(/* @vite-ignore */ specifier)) as typeof import("node:fs/promises");
      data = new Uint8Array(await fs.readFile(this.source));
      named = contentTypeForName(this.source);
    } else if (this.source instanceof ArrayBuffer) {
      data = new Uint8Array(this.source);
    } else {
      data = this.source;
    }
    const size = data instanceof Blob ? data.size : data.byteLength;
    if (size > MAX_MEDIA_BYTES) throw new Error(`the file is ${size} bytes, more than the 50 MB the server stores`);
    const head = data instanceof Blob ? new Uint8Array(await data.slice(0, 16).arrayBuffer()) : data.subarray(0, 16);
    const contentType =
      allowedContentType(this.opts.contentType) ?? (data instanceof Blob ? allowedContentType(data.type) : null) ?? named ?? sniffContentType(head);
    if (!contentType) throw new Error(`its type is not one the server stores (${Object.keys(MEDIA_TYPES).join(", ")}); pass contentType`);
    const natural = MEDIA_TYPES[contentType].kind;
    if (natural !== this.kind && !(this.kind === "video" && contentType === "image/gif")) throw new Error(`a ${contentType} file cannot be logged as ${this.kind}`);
    return { data, contentType };
  }
}

/** An image (png, jpeg, gif, webp, svg), as Trackio's `trackio.Image`. */
export class Image extends MediaFile {
  readonly kind = "image" as const;
}

/** A sound (wav, mp3, ogg, flac), as Trackio's `trackio.Audio`. */
export class Audio extends MediaFile {
  readonly kind = "audio" as const;
}

/** A clip (mp4, webm, or a gif as Trackio writes them), as Trackio's `trackio.Video`. */
export class Video extends MediaFile {
  readonly kind = "video" as const;
}

/**
 * A table, as Trackio's `trackio.Table`: `columns` and `data` (rows as arrays), or `rows` as
 * objects. Cells may hold `Image`, `Audio` or `Video`, uploaded like any media value.
 */
export class Table {
  readonly rows: Record<string, unknown>[];

  constructor(opts: { columns: string[]; data: unknown[][] } | { rows: Record<string, unknown>[] }) {
    if ("rows" in opts) this.rows = opts.rows.map((r) => ({ ...r }));
    else this.rows = opts.data.map((row) => Object.fromEntries(opts.columns.map((c, i) => [c, row[i] ?? null])));
  }

  /** Trackio's wire shape; media cells must already be references. */
  toJSON() {
    return { _type: "trackio.table", _value: this.rows };
  }
}

/**
 * A histogram, as Trackio's `trackio.Histogram`: from raw values (binned into `numBins` equal bins,
 * default 64), or from `bins` (edges, one more than counts) and `counts`.
 */
export class Histogram {
  readonly bins: number[];
  readonly values: number[];

  constructor(values: number[] | { bins: number[]; counts: number[] }, opts: { numBins?: number } = {}) {
    if (!Array.isArray(values)) {
      if (values.bins.length !== values.counts.length + 1) throw new Error("Histogram: bins must have one more edge than counts");
      this.bins = [...values.bins];
      this.values = [...values.counts];
      return;
    }
    const finite = values.filter((v) => Number.isFinite(v));
    const n = Math.max(1, Math.floor(opts.numBins ?? 64));
    let lo = finite.length ? Math.min(...finite) : 0;
    let hi = finite.length ? Math.max(...finite) : 1;
    // numpy's rule for a single value: a range of ±0.5 around it.
    if (lo === hi) {
      lo -= 0.5;
      hi += 0.5;
    }
    const width = (hi - lo) / n;
    this.bins = Array.from({ length: n + 1 }, (_, i) => lo + i * width);
    this.values = new Array<number>(n).fill(0);
    for (const v of finite) this.values[Math.min(n - 1, Math.floor((v - lo) / width))]++;
  }

  toJSON() {
    return { _type: "trackio.histogram", bins: this.bins, values: this.values };
  }
}
