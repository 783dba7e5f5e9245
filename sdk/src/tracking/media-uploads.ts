import type { MediaRef } from "../../../src/contract";
import { MediaFile, Table } from "../media/values";
import type { LogItem } from "./encode";

export type Uploader = (file: MediaFile, data: Uint8Array | Blob, contentType: string, step: number, name: string) => Promise<MediaRef>;

/**
 * Replaces the media values of buffered entries (and media cells of tables) with the references
 * the server answers for them, uploading each first: an entry is sent only after its files are
 * stored. Resolved values stay in the entry, so a retried batch uploads only what is left; a
 * repeated upload (same id) is stored once anyway. Upload failures propagate, so the sender
 * retries or isolates the entry as it does for any request; a file that cannot be read or sent
 * at all becomes null, with a warning, and the entry's other metrics still go.
 */
export async function resolveMedia(items: LogItem[], upload: Uploader, warn: (m: string) => void): Promise<void> {
  const one = async (f: MediaFile, step: number, name: string): Promise<MediaRef | null> => {
    let loaded;
    try {
      loaded = await f.load();
    } catch (err) {
      warn(`dropped the ${f.kind} logged as '${name}' at step ${step}: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
    return upload(f, loaded.data, loaded.contentType, step, name);
  };
  for (const item of items) {
    for (const [name, v] of Object.entries(item.m)) {
      if (v instanceof MediaFile) item.m[name] = await one(v, item.s, name);
      else if (v instanceof Table) {
        const rows = [];
        for (const row of v.rows) {
          const out: Record<string, unknown> = {};
          for (const [col, cell] of Object.entries(row)) out[col] = cell instanceof MediaFile ? await one(cell, item.s, name) : cell;
          rows.push(out);
        }
        item.m[name] = { _type: "trackio.table", _value: rows };
      }
    }
  }
}
