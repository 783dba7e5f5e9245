import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, it } from "vitest";
import { MAX_MEDIA_BYTES } from "../../src/contract";
import { ADMIN, api, createKey, createRun, logEntries, uniqueProject } from "../helpers/api";
import { bytesOf, sha256Of } from "../helpers/media";

type Upload = { type?: string; body?: BodyInit | null; query?: string; token?: string; headers?: Record<string, string> };

function upload(project: string, run: string, o: Upload = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${o.token ?? ADMIN}`, ...o.headers };
  if (o.type !== undefined) headers["content-type"] = o.type;
  const init: RequestInit & { duplex?: string } = { method: "POST", headers, body: o.body ?? null };
  if (o.body instanceof ReadableStream) init.duplex = "half";
  return exports.default.fetch(new Request(`http://tf.test/v1/projects/${project}/runs/${run}/media?${o.query ?? "step=0&name=samples/pred"}`, init));
}

const fetchFile = (project: string, filePath: string, headers: Record<string, string> = {}) =>
  exports.default.fetch(new Request(`http://tf.test/v1/projects/${project}/media/${filePath}`, { headers: { authorization: `Bearer ${ADMIN}`, ...headers } }));

/** A stream of `size` bytes in 1 MB chunks, with no Content-Length. */
function streamOf(size: number): ReadableStream<Uint8Array> {
  let left = size;
  const chunk = new Uint8Array(1 << 20);
  return new ReadableStream({
    pull(c) {
      if (left <= 0) return c.close();
      const n = Math.min(left, chunk.byteLength);
      left -= n;
      c.enqueue(chunk.subarray(0, n));
    },
  });
}

describe("media over REST", () => {
  let p: string;
  let runId: string;
  const png = bytesOf(2048, 1);

  beforeAll(async () => {
    p = uniqueProject("media");
    runId = (await createRun(p, { name: "r" })).id;
  });

  it("stores a file and answers a reference to log, with its size and sha256", async ({ expect }) => {
    const res = await upload(p, "r", { type: "image/png", body: png, query: "step=3&name=samples/pred&caption=a%20cat" });
    expect(res.status).toBe(201);
    const ref = (await res.json()) as any;
    expect(ref).toEqual({ _type: "trackio.image", file_path: expect.stringMatching(new RegExp(`^${p}/${runId}/3/[0-9a-f]{32}\\.png$`)), caption: "a cat", content_type: "image/png", size: 2048, sha256: await sha256Of(png) });
    // The R2 key is the file path: by run id, so a rename keeps it.
    const obj = await env.MEDIA.get(ref.file_path);
    expect(obj && (await sha256Of(await obj.arrayBuffer()))).toBe(ref.sha256);
    // Logged as a metric value (and inside a table cell), it reads back as sent.
    const table = { _type: "trackio.table", _value: [{ label: "cat", image: ref }] };
    expect((await logEntries(p, "r", [{ step: 3, metrics: { "samples/pred": ref, "eval/table": table } }])).status).toBe(200);
    const snap = await api("GET", `/v1/projects/${p}/runs/r/snapshot?step=3`);
    expect(snap.json.metrics["samples/pred"][0].value).toEqual(ref);
    expect(snap.json.metrics["eval/table"][0].value).toEqual(table);
    // The Media & Tables view reads exactly these values (and histograms), by metric and step; scalars are not in it.
    const hist = { _type: "trackio.histogram", bins: [0, 1, 2], values: [3, 4] };
    await logEntries(p, "r", [{ step: 4, metrics: { "w/hist": hist, loss: 0.5 } }]);
    const rich = await api("GET", `/v1/projects/${p}/runs/r/media/values`);
    expect(rich.json).toEqual({ project: p, run: "r", run_id: runId, truncated: false, metrics: { "eval/table": [{ step: 3, value: table }], "samples/pred": [{ step: 3, value: ref }], "w/hist": [{ step: 4, value: hist }] } });
  });

  it("lists a run's media by name and step, and serves each with its type, nosniff, ETag and immutable caching", async ({ expect }) => {
    const wav = bytesOf(1000, 2);
    expect((await upload(p, "r", { type: "audio/wav", body: wav, query: "step=5&name=audio/tone" })).status).toBe(201);
    const all = await api("GET", `/v1/projects/${p}/runs/r/media`);
    expect(all.status).toBe(200);
    expect(all.json.media.map((m: any) => [m.name, m.step, m.kind])).toEqual([
      ["audio/tone", 5, "audio"],
      ["samples/pred", 3, "image"],
    ]);
    const only = await api("GET", `/v1/projects/${p}/runs/${runId}/media?name=audio/tone&step=5`);
    expect(only.json.media).toHaveLength(1);
    expect((await api("GET", `/v1/projects/${p}/runs/r/media?step=4`)).json.media).toEqual([]);
    const bad = await api("GET", `/v1/projects/${p}/runs/r/media?step=minus`);
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].path).toBe("step");

    const item = only.json.media[0];
    const res = await fetchFile(p, item.file_path);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("audio/wav");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("etag")).toBe(`"${item.sha256}"`);
    expect(res.headers.get("cache-control")).toBe("private, max-age=31536000, immutable");
    expect(res.headers.get("content-security-policy")).toMatch(/default-src 'none'.*sandbox/);
    expect(await sha256Of(await res.arrayBuffer())).toBe(item.sha256);
    const again = await fetchFile(p, item.file_path, { "if-none-match": `"${item.sha256}"` });
    expect(again.status).toBe(304);
  });

  it("answers Range requests for audio and video with 206, and an unsatisfiable range with 416", async ({ expect }) => {
    const mp4 = bytesOf(5000, 3);
    const ref = (await (await upload(p, "r", { type: "video/mp4", body: mp4, query: "step=1&name=video/clip" })).json()) as any;
    const part = await fetchFile(p, ref.file_path, { range: "bytes=100-199" });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 100-199/5000");
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(mp4.subarray(100, 200));
    const tail = await fetchFile(p, ref.file_path, { range: "bytes=-10" });
    expect(tail.status).toBe(206);
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(mp4.subarray(4990));
    const beyond = await fetchFile(p, ref.file_path, { range: "bytes=6000-" });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get("content-range")).toBe("bytes */5000");
  });

  it("serves SVG only as an attachment, and refuses types off the allow-list with a 400 naming the field", async ({ expect }) => {
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const ref = (await (await upload(p, "r", { type: "image/svg+xml", body: svg })).json()) as any;
    const res = await fetchFile(p, ref.file_path);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="[0-9a-f]{32}\.svg"$/);
    expect(res.headers.get("content-type")).toBe("image/svg+xml");
    for (const type of ["text/html", "application/xhtml+xml", "image/svg", "application/octet-stream", ""]) {
      const r = await upload(p, "r", { type, body: svg });
      expect(r.status, type).toBe(400);
      expect(((await r.json()) as any).error.details[0].path).toBe("content-type");
    }
    const kind = await upload(p, "r", { type: "image/png", body: png, query: "step=0&name=x&kind=audio" });
    expect(kind.status).toBe(400);
    expect(((await kind.json()) as any).error.details[0].path).toBe("kind");
    const noStep = await upload(p, "r", { type: "image/png", body: png, query: "name=x" });
    expect(noStep.status).toBe(400);
    expect(((await noStep.json()) as any).error.details[0].path).toBe("step");
    const empty = await upload(p, "r", { type: "image/png", body: new Uint8Array(0) });
    expect(empty.status).toBe(400);
  });

  it("refuses a file of 50 MB + 1 byte with a 413 naming the body, whether or not its length is declared", async ({ expect }) => {
    const before = (await env.MEDIA.list({ prefix: `${p}/` })).objects.length;
    const declared = await upload(p, "r", { type: "image/png", body: new Uint8Array(MAX_MEDIA_BYTES + 1) });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as any).error).toMatchObject({ code: "payload_too_large", details: [{ path: "body" }] });
    const streamed = await upload(p, "r", { type: "image/png", body: streamOf(MAX_MEDIA_BYTES + 1) });
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as any).error.details[0].path).toBe("body");
    // Exactly 50 MB is stored.
    const max = await upload(p, "r", { type: "image/png", body: streamOf(MAX_MEDIA_BYTES), query: "step=9&name=big" });
    expect(max.status).toBe(201);
    expect(((await max.json()) as any).size).toBe(MAX_MEDIA_BYTES);
    expect((await env.MEDIA.list({ prefix: `${p}/` })).objects.length).toBe(before + 1);
  });

  it("stores a retried upload (same id) once, and refuses other bytes under a stored id", async ({ expect }) => {
    const q = "step=2&name=samples/pred&id=upload-42";
    const a = (await (await upload(p, "r", { type: "image/png", body: png, query: q })).json()) as any;
    const b = await upload(p, "r", { type: "image/png", body: png, query: q });
    expect(b.status).toBe(201);
    expect(await b.json()).toEqual(a);
    const listed = await api("GET", `/v1/projects/${p}/runs/r/media?step=2`);
    expect(listed.json.media).toHaveLength(1);
    const other = await upload(p, "r", { type: "image/png", body: bytesOf(10, 9), query: q });
    expect(other.status).toBe(409);
  });

  it("needs a write key that sees the project to upload, and a read key to fetch", async ({ expect }) => {
    const read = await createKey("read", [p]);
    const elsewhere = await createKey("write", ["not-this-one"]);
    expect((await upload(p, "r", { type: "image/png", body: png, token: read })).status).toBe(403);
    expect((await upload(p, "r", { type: "image/png", body: png, token: elsewhere })).status).toBe(404);
    expect((await upload(p, "nope", { type: "image/png", body: png })).status).toBe(404);
    const item = (await api("GET", `/v1/projects/${p}/runs/r/media?name=samples/pred&step=3`)).json.media[0];
    expect((await fetchFile(p, item.file_path, { authorization: `Bearer ${read}` })).status).toBe(200);
    expect((await fetchFile(p, item.file_path, { authorization: `Bearer ${elsewhere}` })).status).toBe(404);
    expect((await fetchFile(p, item.file_path, { authorization: "Bearer wrong" })).status).toBe(401);
    expect((await fetchFile(p, `${p}/${runId}/3/missing.png`)).status).toBe(404);
  });

  it("deletes a run's files from R2 with the run, and keeps other runs' files", async ({ expect }) => {
    const q = uniqueProject("media-del");
    const doomed = (await createRun(q, { name: "doomed" })).id;
    const kept = (await createRun(q, { name: "kept" })).id;
    for (let step = 0; step < 3; step++) expect((await upload(q, "doomed", { type: "image/png", body: bytesOf(100, step), query: `step=${step}&name=img` })).status).toBe(201);
    expect((await upload(q, "kept", { type: "image/png", body: png })).status).toBe(201);
    expect((await env.MEDIA.list({ prefix: `${q}/${doomed}/` })).objects).toHaveLength(3);
    const del = await api("DELETE", `/v1/projects/${q}/runs/doomed`);
    expect(del.status).toBe(200);
    expect((await env.MEDIA.list({ prefix: `${q}/${doomed}/` })).objects).toHaveLength(0);
    expect((await env.MEDIA.list({ prefix: `${q}/${kept}/` })).objects).toHaveLength(1);
    expect((await api("GET", `/v1/projects/${q}/runs/${doomed}/media`)).status).toBe(404);
    expect((await api("GET", `/v1/projects/${q}/runs/kept/media`)).json.media).toHaveLength(1);
  });
});
