import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, it } from "vitest";
import { MAX_MEDIA_BYTES } from "../../src/contract";
import { MEDIA_DIR } from "../../src/trackio/files";
import { api, createKey, uniqueProject } from "../helpers/api";
import { bytesOf, multipart, sha256Of } from "../helpers/media";
import { readResponse } from "../helpers/read-response";
import { call } from "../helpers/trackio";

async function uploadFiles(token: string | null, files: { filename: string; type: string; bytes: Uint8Array; field?: string }[]) {
  const mp = multipart(files);
  const headers: Record<string, string> = { "content-type": mp.contentType };
  if (token) headers["x-trackio-write-token"] = token;
  return readResponse(await exports.default.fetch(new Request("http://tf.test/api/upload", { method: "POST", headers, body: mp.body })));
}

/** GET /file: the status, and the body as text only when it is not a file (a 404's "Not found"). */
async function getFile(path: string, token: string | null) {
  const res = await exports.default.fetch(new Request(`http://tf.test/file?path=${path}`, { headers: token ? { "x-trackio-write-token": token } : {} }));
  if (res.status === 200) return { status: 200, text: "", bytes: new Uint8Array(await res.arrayBuffer()) };
  return { status: res.status, text: await res.text(), bytes: null };
}

const claim = (project: string, run: string, step: number, path: string, origName: string) => ({
  project,
  run,
  run_id: null,
  step,
  relative_path: null,
  uploaded_file: { path, meta: { _type: "gradio.FileData" }, orig_name: origName },
});

describe("Trackio media uploads: staging, claims and /file", () => {
  let p: string;
  let q: string;
  let keyA: string;
  let keyB: string;
  let keyQ: string;
  const png = bytesOf(700, 7);

  beforeAll(async () => {
    p = uniqueProject("claims");
    q = uniqueProject("other");
    keyA = await createKey("write", [p]);
    keyB = await createKey("write", [p]);
    keyQ = await createKey("write", [q]);
    const log = { project: p, run: "r", run_id: null, step: 0, config: null, log_id: "l0", metrics: { img: { _type: "trackio.image", file_path: `${p}/r/0/a.png`, caption: "first" } } };
    const logged = await call("bulk_log", { logs: [log] }, { token: keyA });
    if (logged.status !== 200) throw new Error(`bulk_log failed: ${logged.text}`);
  });

  it("lets only the uploading key claim a staged upload, and only into its projects", async ({ expect }) => {
    const up = await uploadFiles(keyA, [{ filename: "a.png", type: "image/png", bytes: png }]);
    expect(up.status).toBe(200);
    const [path] = up.json.paths;
    // Another write key of the same project cannot claim it (it did not upload it).
    const byB = await call("bulk_upload_media", { uploads: [claim(p, "r", 0, path, "a.png")] }, { token: keyB });
    expect(byB.status).toBe(400);
    expect(byB.json.error).toMatch(/^Invalid uploads\.0\.uploaded_file\.path: /);
    // A key of another project cannot file anything into this one.
    const byQ = await call("bulk_upload_media", { uploads: [claim(p, "r", 0, path, "a.png")] }, { token: keyQ });
    expect(byQ.status).toBe(403);
    // The uploader cannot file it into a project outside its list.
    const elsewhere = await call("bulk_upload_media", { uploads: [claim(q, "r", 0, path, "a.png")] }, { token: keyA });
    expect(elsewhere.status).toBe(403);
    expect((await api("GET", `/v1/projects/${p}/runs/r/media`)).json.media).toEqual([]);
    // The uploader files it; a retried call stores nothing twice.
    for (let i = 0; i < 2; i++) {
      const ok = await call("bulk_upload_media", { uploads: [claim(p, "r", 0, path, "a.png")] }, { token: keyA });
      expect(ok.status).toBe(200);
      expect(ok.json).toEqual({ data: null });
    }
    const listed = (await api("GET", `/v1/projects/${p}/runs/r/media`)).json.media;
    expect(listed.map((m: any) => [m.name, m.caption, m.file_path, m.sha256])).toEqual([["img", "first", `${p}/r/0/a.png`, await sha256Of(png)]]);
    // The staged copy is gone once filed.
    expect((await env.MEDIA.list({ prefix: ".staged/" })).objects.map((o) => o.key)).not.toContain(`.staged/${path}`);
    const file = await getFile(encodeURIComponent(`${MEDIA_DIR}/${p}/r/0/a.png`), keyB);
    expect(file.status).toBe(200);
  });

  it("refuses uploads without a write key, of types off the allow-list, and of 50 MB + 1 byte", async ({ expect }) => {
    const read = await createKey("read", [p]);
    expect((await uploadFiles(null, [{ filename: "a.png", type: "image/png", bytes: png }])).status).toBe(400);
    expect((await uploadFiles(read, [{ filename: "a.png", type: "image/png", bytes: png }])).status).toBe(403);
    const html = await uploadFiles(keyA, [{ filename: "x.html", type: "text/html", bytes: new TextEncoder().encode("<script>1</script>") }]);
    expect(html.status).toBe(400);
    expect(html.json.error).toMatch(/^Invalid files: /);
    // A part sent as octet-stream is typed by its extension.
    const octet = await uploadFiles(keyA, [{ filename: "b.webp", type: "application/octet-stream", bytes: png }]);
    expect(octet.status).toBe(200);
    const wrongField = await uploadFiles(keyA, [{ field: "file", filename: "a.png", type: "image/png", bytes: png }]);
    expect(wrongField.status).toBe(400);
    expect(wrongField.json.error).toMatch(/field 'files'/);
    const big = await uploadFiles(keyA, [{ filename: "big.png", type: "image/png", bytes: new Uint8Array(MAX_MEDIA_BYTES + 1) }]);
    expect(big.status).toBe(413);
    expect(big.json.error).toMatch(/^Invalid files: /);
  });

  it("answers /file 404 for anything outside the media dir, traversals, encodings and absolute paths", async ({ expect }) => {
    const good = `${MEDIA_DIR}/${p}/r/0/a.png`;
    expect((await getFile(encodeURIComponent(good), keyA)).status).toBe(200);
    const attempts = [
      "/etc/passwd",
      "%2Fetc%2Fpasswd",
      encodeURIComponent(`${MEDIA_DIR}/../../../etc/passwd`),
      encodeURIComponent(`${MEDIA_DIR}/${p}/../${p}/r/0/a.png`),
      encodeURIComponent(`${MEDIA_DIR}/${p}/r/0/../0/a.png`),
      encodeURIComponent(`${MEDIA_DIR}/${p}/r/0/%2e%2e/a.png`),
      encodeURIComponent(`${MEDIA_DIR}/%2e%2e/%2e%2e/etc/passwd`),
      `${MEDIA_DIR}/%252e%252e/%252e%252e/etc/passwd`,
      encodeURIComponent(`${MEDIA_DIR}/${p}\\r\\0\\a.png`),
      encodeURIComponent(`${MEDIA_DIR}//etc/passwd`),
      encodeURIComponent(`${MEDIA_DIR}/./${p}/r/0/a.png`),
      encodeURIComponent(`${MEDIA_DIR}${p}/r/0/a.png`),
      encodeURIComponent(`/trackflare/${p}/r/0/a.png`),
      encodeURIComponent(`${MEDIA_DIR}/${p}/r/0/a.png\u0000.txt`),
      encodeURIComponent(`file://${MEDIA_DIR}/${p}/r/0/a.png`),
      "",
    ];
    for (const a of attempts) {
      const r = await getFile(a, keyA);
      expect(r.status, a).toBe(404);
      expect(r.text, a).toBe("Not found");
    }
    // A key that does not see the project gets the same 404; no key at all, a 401.
    expect((await getFile(encodeURIComponent(good), keyQ)).status).toBe(404);
    expect((await getFile(encodeURIComponent(good), null)).status).toBe(401);
  });

  it("deletes a run's files when Trackio's delete_run deletes the run", async ({ expect }) => {
    const run = (await api("GET", `/v1/projects/${p}/runs/r`)).json;
    expect((await env.MEDIA.list({ prefix: `${p}/${run.id}/` })).objects.length).toBeGreaterThan(0);
    const del = await call("delete_run", { project: p, run: "r" }, { token: keyA });
    expect(del.json).toEqual({ data: true });
    expect((await env.MEDIA.list({ prefix: `${p}/${run.id}/` })).objects).toEqual([]);
    expect((await getFile(encodeURIComponent(`${MEDIA_DIR}/${p}/r/0/a.png`), keyA)).status).toBe(404);
  });
});
