// Demo media for the screenshots: two runs logging checkerboard images by step, a table with image
// cells and histograms that widen over steps, through the SDK (sdk/dist, built by `npm install`).
import zlib from "node:zlib";
import { Histogram, Image, Run, Table } from "../../../sdk/dist/index.js";

/** A real `size`×`size` PNG whose pixel (x, y) has colour `pixel(x, y)` ([r, g, b]). */
export function png(size, pixel) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = [0];
    for (let x = 0; x < size; x++) row.push(...pixel(x, y));
    rows.push(Buffer.from(row));
  }
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(Buffer.concat([sig, chunk("IHDR", ihdr), chunk("IDAT", zlib.deflateSync(Buffer.concat(rows))), chunk("IEND", Buffer.alloc(0))]));
}

/** A checkerboard of white and `rgb`. */
export const checkerPng = (rgb, size = 32) => png(size, (x, y) => (((x >> 3) + (y >> 3)) % 2 ? rgb : [255, 255, 255]));
/** One colour all over (a test can read its pixel back). */
export const solidPng = (rgb, size = 4) => png(size, () => rgb);

/** A roughly normal sample (Irwin–Hall), `n` values scaled by `spread`. */
const sample = (n, spread) => Array.from({ length: n }, () => (Array.from({ length: 6 }, Math.random).reduce((a, b) => a + b) - 3) * spread);

export async function seedMedia(url, token, project, steps = 6) {
  for (const [i, name] of ["lr-1e-3", "lr-3e-4"].entries()) {
    const run = await Run.start({ project, name, url, token, quiet: true, exitHook: false });
    for (let s = 0; s < steps; s++) {
      run.log({
        "samples/pred": new Image(checkerPng([40 * s, i ? 80 : 200, i ? 200 : 60]), { caption: `epoch ${s}` }),
        "weights/hist": new Histogram(sample(500, 1 + s * 0.3 * (i + 1))),
      });
    }
    const table = new Table({ columns: ["id", "label", "image"], data: [[1, "cat", new Image(checkerPng([200, 50, 50]))], [2, "dog", new Image(checkerPng([50, 50, 200]))]] });
    run.log({ "eval/table": table }, steps - 1);
    await run.finish();
  }
}
