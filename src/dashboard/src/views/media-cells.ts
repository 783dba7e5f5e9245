import type { Api } from "../api";
import { formatValue, h } from "../dom";

type Ref = { _type: string; file_path: string; caption?: string | null; content_type?: string };
const MEDIA_TYPES = new Set(["trackio.image", "trackio.audio", "trackio.video"]);

export const isMediaRef = (v: unknown): v is Ref =>
  typeof v === "object" && v !== null && MEDIA_TYPES.has((v as Ref)._type) && typeof (v as Ref).file_path === "string";
export const isTable = (v: unknown): v is { _type: "trackio.table"; _value: Record<string, unknown>[] } =>
  typeof v === "object" && v !== null && (v as { _type?: string })._type === "trackio.table" && Array.isArray((v as { _value?: unknown })._value);
export const isHistogram = (v: unknown): v is { _type: "trackio.histogram"; bins: number[]; values: number[] } =>
  typeof v === "object" && v !== null && (v as { _type?: string })._type === "trackio.histogram";

/** Object URLs of fetched files, one per file path, revoked when the view goes. */
export class FileUrls {
  private readonly urls = new Map<string, Promise<string>>();
  private readonly abort = new AbortController();
  constructor(
    private readonly api: Api,
    private readonly project: string,
  ) {}

  get(filePath: string): Promise<string> {
    let u = this.urls.get(filePath);
    if (!u) this.urls.set(filePath, (u = this.api.fileUrl(this.project, filePath, this.abort.signal)));
    return u;
  }

  dispose() {
    this.abort.abort();
    for (const u of this.urls.values()) void u.then(URL.revokeObjectURL, () => undefined);
  }
}

/** An image, audio or video player for a media reference; the file loads in the background. */
export function mediaElement(ref: Ref, files: FileUrls, opts: { thumb?: boolean } = {}): HTMLElement {
  const gif = ref.content_type === "image/gif";
  const el =
    ref._type === "trackio.audio"
      ? h("audio", { controls: true, preload: "metadata" })
      : ref._type === "trackio.video" && !gif
        ? h("video", { controls: true, preload: "metadata", muted: true })
        : h("img", { alt: ref.caption ?? ref.file_path.split("/").pop() ?? "", class: opts.thumb ? "media-thumb" : "media-image", loading: "lazy" });
  el.setAttribute("data-file-path", ref.file_path);
  el.classList.add("media-el");
  files.get(ref.file_path).then(
    (url) => {
      (el as HTMLImageElement).src = url;
    },
    () => el.replaceWith(h("span", { class: "error-text" }, "could not load this file")),
  );
  return el;
}

/** A Trackio table: its rows with their cells, media cells as thumbnails. */
export function tableElement(t: { _value: Record<string, unknown>[] }, files: FileUrls): HTMLElement {
  const cols = [...new Set(t._value.flatMap((r) => Object.keys(r)))];
  return h(
    "table",
    { class: "table media-table" },
    h("thead", {}, h("tr", {}, cols.map((c) => h("th", { scope: "col" }, c)))),
    h(
      "tbody",
      {},
      t._value.map((row) => h("tr", {}, cols.map((c) => h("td", {}, isMediaRef(row[c]) ? mediaElement(row[c] as Ref, files, { thumb: true }) : formatValue(row[c]))))),
    ),
  );
}
