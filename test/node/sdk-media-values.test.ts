import { describe, it } from "vitest";
import { Audio, Histogram, Image, Table, Video } from "../../sdk/src/index";

// The SDK's media values on their own: Trackio's wire shapes, numpy's binning, content types.

describe("SDK media values", () => {
  it("bins values like numpy.histogram (the last bin closed) and keeps given bins and counts", ({ expect }) => {
    expect(JSON.parse(JSON.stringify(new Histogram([0, 1, 1, 2, 2, 2, 3], { numBins: 3 })))).toEqual({ _type: "trackio.histogram", bins: [0, 1, 2, 3], values: [1, 2, 4] });
    // One distinct value: numpy's ±0.5 range around it.
    expect(new Histogram([5, 5], { numBins: 2 }).bins).toEqual([4.5, 5, 5.5]);
    // Non-finite values are left out, as numpy refuses them.
    expect(new Histogram([0, 1, Number.NaN, Number.POSITIVE_INFINITY], { numBins: 1 }).values).toEqual([2]);
    expect(new Histogram({ bins: [0, 0.5, 1], counts: [3, 4] }).toJSON()).toEqual({ _type: "trackio.histogram", bins: [0, 0.5, 1], values: [3, 4] });
    expect(() => new Histogram({ bins: [0, 1], counts: [1, 2] })).toThrow(/one more edge/);
  });

  it("builds Trackio's table rows from columns and data, or from row objects", ({ expect }) => {
    expect(new Table({ columns: ["a", "b"], data: [[1, "x"], [2]] }).toJSON()).toEqual({ _type: "trackio.table", _value: [{ a: 1, b: "x" }, { a: 2, b: null }] });
    expect(new Table({ rows: [{ a: 1 }] }).toJSON()).toEqual({ _type: "trackio.table", _value: [{ a: 1 }] });
  });

  it("types files by the option, the Blob, the path or their bytes, and refuses what the server would not store", async ({ expect }) => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    expect((await new Image(png).load()).contentType).toBe("image/png");
    expect((await new Image(png.buffer).load()).contentType).toBe("image/png");
    expect((await new Image(new Blob([png], { type: "image/webp" })).load()).contentType).toBe("image/webp");
    expect((await new Image(png, { contentType: "image/jpeg" }).load()).contentType).toBe("image/jpeg");
    expect((await new Audio(new TextEncoder().encode("RIFF\0\0\0\0WAVEfmt ")).load()).contentType).toBe("audio/wav");
    const gif = new TextEncoder().encode("GIF89a....");
    expect((await new Video(gif).load()).contentType).toBe("image/gif");
    await expect(new Audio(png).load()).rejects.toThrow(/an? image\/png file cannot be logged as audio/);
    await expect(new Image(new TextEncoder().encode("<html></html>")).load()).rejects.toThrow(/not one the server stores/);
    await expect(new Image(new Uint8Array(50 * 1024 * 1024 + 1)).load()).rejects.toThrow(/more than the 50 MB/);
    // A media value never travels as itself: only its uploaded reference does.
    expect(() => JSON.stringify({ img: new Image(png) })).toThrow(/image file was not uploaded/);
  });
});
