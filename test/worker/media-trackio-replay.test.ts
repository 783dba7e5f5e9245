import { exports } from "cloudflare:workers";
import { beforeAll, describe, it } from "vitest";
import { MEDIA_DIR } from "../../src/trackio/files";
import { api, createKey } from "../helpers/api";
import { bytesOf, multipart, sha256Of } from "../helpers/media";
import { readResponse } from "../helpers/read-response";
import { MEDIA_RECORDS, type MediaRecord } from "../helpers/trackio";

// Replays media.jsonl (the real trackio 0.36 client logging images, a table with an image, a
// histogram, audio and a gif video, then the reads its dashboard makes) against the Worker, in
// capture order. The recording keeps each file's size and sha256, not its bytes, so each upload
// sends deterministic bytes of the recorded size; `/file` must answer exactly those bytes (size
// and sha256) with the recorded content type. Differences on purpose: `get_settings` has no logo
// URLs and its media_dir is Trackflare's (README, "Trackio compatibility"); /version says MCP is on.

const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00$/;
let token: string;
/** Our staged path for each path the recorded server answered. */
const stagedPaths = new Map<string, string>();
/** What we uploaded under each file name: size and sha256. */
const sent = new Map<string, { size: number; sha256: string }>();

const substitute = (v: unknown): unknown => {
  if (typeof v === "string") return v === "<token>" ? token : (stagedPaths.get(v) ?? v.replace("<media_dir>", MEDIA_DIR));
  if (Array.isArray(v)) return v.map(substitute);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x)]));
  return v;
};

async function replay(r: MediaRecord) {
  const headers = substitute(r.request.headers) as Record<string, string>;
  const query = Object.entries(r.request.query).map(([k, v]) => `${k}=${encodeURIComponent((substitute(decodeURIComponent(v)) as string))}`);
  const url = `http://tf.test${r.request.path}${query.length ? `?${query.join("&")}` : ""}`;
  let body: BodyInit | undefined;
  if (r.request.multipart) {
    const files = r.request.multipart.map((p, i) => ({ field: p.name, filename: p.filename, type: p.content_type, bytes: bytesOf(p.size, r.seq * 10 + i) }));
    for (const f of files) sent.set(f.filename, { size: f.bytes.byteLength, sha256: await sha256Of(f.bytes) });
    const mp = multipart(files);
    headers["content-type"] = mp.contentType;
    body = mp.body;
  } else if (r.request.body !== null && r.request.body !== undefined) {
    body = JSON.stringify(substitute(r.request.body));
  }
  return exports.default.fetch(new Request(url, { method: r.request.method, headers, body }));
}

describe("media.jsonl replayed against the Worker", () => {
  beforeAll(async () => {
    token = await createKey("write", ["media-demo"]);
  });

  it("answers every recorded exchange as the real server did, and serves back the bytes uploaded", async ({ expect }) => {
    expect(MEDIA_RECORDS.length).toBe(25);
    const files: string[] = [];
    for (const r of MEDIA_RECORDS) {
      const res = await replay(r);
      const where = `seq ${r.seq} ${r.request.method} ${r.request.path}`;
      expect(res.status, where).toBe(r.response.status);
      if (r.response.body_binary) {
        // /file: the recorded content type, and the bytes we uploaded for that file name.
        const bytes = new Uint8Array(await res.arrayBuffer());
        const name = decodeURIComponent(r.request.query.path).split("/").pop()!;
        expect(res.headers.get("content-type"), where).toBe(r.response.headers["content-type"]);
        expect(bytes.byteLength, where).toBe(r.response.body_binary.size);
        expect(await sha256Of(bytes), where).toBe(sent.get(name)!.sha256);
        expect(res.headers.get("x-content-type-options"), where).toBe("nosniff");
        expect(res.headers.get("etag"), where).toBe(`"${sent.get(name)!.sha256}"`);
        files.push(name);
        continue;
      }
      const got = await readResponse(res);
      const recorded = r.response.body as any;
      if (r.response.body_text !== undefined) {
        expect(got.text, where).toBe(r.response.body_text);
      } else if (r.request.path === "/api/upload") {
        expect(got.json.paths, where).toHaveLength(recorded.paths.length);
        recorded.paths.forEach((p: string, i: number) => stagedPaths.set(p, got.json.paths[i]));
      } else if (r.request.path === "/version") {
        expect(got.json, where).toEqual({ ...recorded, mcp_enabled: true, mcp_path: "/mcp" });
      } else if (r.request.path === "/api/get_settings") {
        expect(got.json, where).toEqual({ data: { ...recorded.data, logo_urls: { light: null, dark: null }, media_dir: MEDIA_DIR } });
      } else if (r.request.path === "/api/get_logs") {
        // Metric rows carry the server's time: compared by format, every other value exactly.
        const strip = (rows: Record<string, unknown>[]) => rows.map(({ timestamp, ...rest }) => (expect(timestamp).toMatch(TS), rest));
        expect(strip(got.json.data), where).toEqual(strip(recorded.data));
      } else {
        expect(got.json, where).toEqual(recorded);
      }
    }
    expect(files.sort()).toEqual([...sent.keys()].filter((n) => n !== "d36a33ad-eec5-45d4-85e8-3371e8c84fa8.png").sort());
  });

  it("keeps references in D1 with the metric each file was logged under, its kind and caption", async ({ expect }) => {
    const r = await api("GET", "/v1/projects/media-demo/runs/media-run/media");
    expect(r.status).toBe(200);
    const byName = r.json.media.map((m: any) => [m.name, m.step, m.kind, m._type, m.caption, m.content_type, m.size]);
    expect(byName).toEqual([
      ["audio/tone", 4, "audio", "trackio.audio", "440 Hz", "audio/x-wav", 8044],
      ["eval/table", 3, "image", "trackio.image", null, "image/png", 332],
      ["samples/pred", 0, "image", "trackio.image", "sample at step 0", "image/png", 1027],
      ["samples/pred", 1, "image", "trackio.image", "sample at step 1", "image/png", 1028],
      ["samples/pred", 2, "image", "trackio.image", "sample at step 2", "image/png", 1028],
      ["video/frames", 4, "video", "trackio.video", "4 frames", "image/gif", 2820],
    ]);
    for (const m of r.json.media) expect(m.sha256).toBe(sent.get(m.file_path.split("/").pop())!.sha256);
    // The table cell's image is served like any other.
    const cell = r.json.media.find((m: any) => m.name === "eval/table");
    const res = await exports.default.fetch(new Request(`http://tf.test/file?path=${encodeURIComponent(`${MEDIA_DIR}/${cell.file_path}`)}`, { headers: { "x-trackio-write-token": token } }));
    expect(res.status).toBe(200);
    expect(await sha256Of(await res.arrayBuffer())).toBe(cell.sha256);
  });
});
