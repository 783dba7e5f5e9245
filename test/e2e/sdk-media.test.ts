import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, inject, it } from "vitest";
import { Api, Audio, Client, Histogram, Image, Run, Table, Video } from "../../sdk/src/index";
// @ts-expect-error plain ESM helper shared with `npm start` and the benchmarks
import { startDevServer } from "../../src/local/dev-server.mjs";

// The SDK's media values against the real server: files uploaded in the background before their
// entries, references in the entries, bytes back by sha256, and nothing lost or doubled when the
// server dies and comes back in the middle of a run.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
let seq = 0;
const uniqueProject = (p: string) => `${p}-${Date.now().toString(36)}-${(seq++).toString(36)}`;

/** A small valid-looking PNG (signature + distinct payload), different for each n. */
function png(n: number): Uint8Array {
  const body = Buffer.alloc(200 + (n % 7), n & 0xff);
  return new Uint8Array(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(`step-${n}`), body]));
}
const wav = () => new Uint8Array(Buffer.concat([Buffer.from("RIFF"), Buffer.alloc(4), Buffer.from("WAVEfmt "), Buffer.alloc(500, 3)]));

describe("SDK media values", () => {
  const url = () => inject("baseUrl");
  const token = () => inject("adminToken");

  it("uploads Image, Audio and Video (bytes, Blob, file path), tables with image cells and histograms, shaped as Trackio's", async ({ expect }) => {
    const project = uniqueProject("sdk-media");
    const warnings: string[] = [];
    const run = await Run.start({ project, url: url(), token: token(), quiet: true, exitHook: false, onWarning: (m) => warnings.push(m) });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tf-media-"));
    const wavPath = path.join(dir, "tone.wav");
    fs.writeFileSync(wavPath, wav());
    const webm = new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, ...new Array(300).fill(9)]);
    const cell = png(100);
    run.log({ "samples/pred": new Image(png(0), { caption: "step 0" }), loss: 1 });
    run.log({
      "eval/table": new Table({ columns: ["id", "label", "image"], data: [[1, "cat", new Image(cell)], [2, "dog", null]] }),
      "weights/hist": new Histogram([0, 1, 1, 2, 2, 2, 3], { numBins: 3 }),
      "audio/tone": new Audio(wavPath, { caption: "440 Hz" }),
      "video/clip": new Video(new Blob([webm], { type: "video/webm" })),
    });
    await run.finish();
    expect(warnings).toEqual([]);

    const api = new Api({ url: url(), token: token() });
    const media = await api.media(project, run.id);
    expect(media.map((m) => [m.name, m.step, m.kind, m.content_type, m.caption])).toEqual([
      ["audio/tone", 1, "audio", "audio/wav", "440 Hz"],
      ["eval/table", 1, "image", "image/png", null],
      ["samples/pred", 0, "image", "image/png", "step 0"],
      ["video/clip", 1, "video", "video/webm", null],
    ]);
    const snap = await new Client({ url: url(), token: token() }).metrics.snapshot(project, run.id, { step: 1 });
    const table = snap.metrics["eval/table"][0].value as any;
    expect(table._type).toBe("trackio.table");
    expect(table._value[0]).toMatchObject({ id: 1, label: "cat", image: { _type: "trackio.image", sha256: sha(cell), size: cell.byteLength } });
    expect(table._value[1]).toEqual({ id: 2, label: "dog", image: null });
    expect(snap.metrics["weights/hist"][0].value).toEqual({ _type: "trackio.histogram", bins: [0, 1, 2, 3], values: [1, 2, 4] });
    const audioRef = snap.metrics["audio/tone"][0].value as any;
    expect(audioRef).toMatchObject({ _type: "trackio.audio", caption: "440 Hz", content_type: "audio/wav" });
    const file = await api.mediaFile(project, audioRef);
    expect(sha(file.bytes)).toBe(sha(wav()));
    expect(file.contentType).toBe("audio/wav");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("warns and sends the entry's other metrics when a file cannot be read or has no allowed type", async ({ expect }) => {
    const project = uniqueProject("sdk-media-bad");
    const warnings: string[] = [];
    const run = await Run.start({ project, url: url(), token: token(), quiet: true, exitHook: false, onWarning: (m) => warnings.push(m) });
    run.log({ img: new Image("/nonexistent/file.png"), loss: 2 });
    run.log({ img: new Image(new TextEncoder().encode("<html>not an image</html>")), loss: 3 });
    await run.finish();
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^dropped the image logged as 'img' at step 0: .*ENOENT/);
    expect(warnings[1]).toMatch(/^dropped the image logged as 'img' at step 1: its type is not one the server stores/);
    const values = await new Client({ url: url(), token: token() }).metrics.values(project, run.id, "loss");
    expect(values.values.map((v) => v.value)).toEqual([2, 3]);
  });
});

describe("SDK images through a server restart", () => {
  const persistTo = fs.mkdtempSync(path.join(os.tmpdir(), "trackflare-media-restart-"));
  const adminToken = `tf_admin_media_${Date.now()}`;
  let server: { url: string; port: number; close(): Promise<void> } | null = null;

  afterAll(async () => {
    await server?.close();
    fs.rmSync(persistTo, { recursive: true, force: true });
  });

  it("stores every image exactly once, each entry after its file, with nothing lost", { timeout: 300_000 }, async ({ expect }) => {
    const TOTAL = 80;
    // The first start picks its own free port (retrying if one is taken before it binds); the restart reuses it.
    server = await startDevServer({ persistTo, adminToken, quiet: true });
    const port = server!.port;
    const url = server!.url;
    const project = "media-restart";
    const warnings: string[] = [];
    const run = await Run.start({ project, url, token: adminToken, quiet: true, exitHook: false, finishTimeoutMs: 120_000, onWarning: (m) => warnings.push(m) });
    const training = (async () => {
      for (let i = 0; i < TOTAL; i++) {
        run.log({ "samples/pred": new Image(png(i), { caption: `step ${i}` }), loss: 1 / (i + 1) });
        await sleep(50);
      }
    })();
    // Kill it once some entries (and so their images) are stored, while the loop still logs.
    for (let i = 0; run.stats().delivered_logs === 0 && i < 200; i++) await sleep(50);
    await server!.close();
    server = null;
    const before = run.stats().delivered_logs;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(TOTAL);
    await sleep(1000);
    server = await startDevServer({ port, persistTo, adminToken, quiet: true });
    await training;
    await run.finish();
    expect(run.stats()).toMatchObject({ buffered_logs: 0, delivered_logs: TOTAL });
    expect(warnings.some((w) => w.includes("retrying with backoff"))).toBe(true);
    expect(warnings.filter((w) => w.startsWith("dropped") || w.includes("they are lost"))).toEqual([]);

    const api = new Api({ url, token: adminToken });
    const media = await api.media(project, run.id, { name: "samples/pred" });
    expect(media.map((m) => m.step)).toEqual(Array.from({ length: TOTAL }, (_, i) => i));
    expect(media.every((m, i) => m.sha256 === sha(png(i)) && m.caption === `step ${i}`)).toBe(true);
    // Every entry holds the reference to its own step's file, and the file reads back.
    const client = new Client({ url, token: adminToken });
    for (const step of [0, Math.floor(TOTAL / 2), TOTAL - 1]) {
      const ref = (await client.metrics.snapshot(project, run.id, { step })).metrics["samples/pred"][0].value as any;
      expect(ref.sha256).toBe(sha(png(step)));
      expect(sha((await api.mediaFile(project, ref)).bytes)).toBe(sha(png(step)));
    }
  });
});
