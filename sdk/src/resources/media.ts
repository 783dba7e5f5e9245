import type { MediaKind, MediaList, MediaRef } from "../../../src/contract";
import type { Client } from "../client";
import { seg } from "../internal/path";

export type UploadOptions = { step: number; name: string; caption?: string | null; id?: string; kind?: MediaKind; signal?: AbortSignal };

export class Media {
  constructor(private readonly client: Client) {}

  /**
   * Stores one file (image, audio or video, at most 50 MB) for a run and returns the reference to
   * log as a metric value. Uploads with the same `id` store the file once, so a retry is safe.
   */
  upload(project: string, run: string, data: Uint8Array | Blob, contentType: string, o: UploadOptions): Promise<MediaRef> {
    return this.client.request("POST", `/v1/projects/${seg(project)}/runs/${seg(run)}/media`, {
      query: { step: o.step, name: o.name, caption: o.caption ?? undefined, id: o.id, kind: o.kind },
      file: { data, contentType },
      signal: o.signal,
    });
  }

  /** A run's stored files, optionally of one metric and/or one step. */
  list(project: string, run: string, f: { name?: string; step?: number } = {}): Promise<MediaList> {
    return this.client.request("GET", `/v1/projects/${seg(project)}/runs/${seg(run)}/media`, { query: f });
  }

  /** The bytes of the file a reference's `file_path` names. */
  download(project: string, filePath: string): Promise<{ bytes: Uint8Array; contentType: string }> {
    return this.client.fetchBytes(`/v1/projects/${seg(project)}/media/${filePath.split("/").map(seg).join("/")}`);
  }
}
