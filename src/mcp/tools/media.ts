import { z } from "zod";
import { MediaItem, MetricName, Step } from "../../contract";
import { listMedia, mediaByPath } from "../../services/media";
import { projectArg, runArgs } from "../args";
import { defineTool, knownProject, runRef } from "../tool";

/** Images sent as MCP image content per call, and the largest one sent: a model's context is finite. */
const MAX_IMAGES = 8;
const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
/** What MCP clients display as images; SVG is listed but never sent as an image. */
const VIEWABLE = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

function base64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export const getMedia = defineTool({
  name: "get_media",
  title: "Look at a run's media",
  description: `List the media files a run logged (images, audio, video: metric name, step, caption, content type, size, sha256), optionally of one metric and/or one step. With images (the default), the first ${MAX_IMAGES} png/jpeg/gif/webp images of the list (up to 2 MB each) are returned as image content after the list, in its order, so you can look at the samples; narrow with name and step to see the ones you want.`,
  scope: "read",
  input: z.strictObject({
    project: projectArg,
    ...runArgs,
    name: MetricName.optional().describe("Only files logged under this metric (e.g. samples/pred)"),
    step: Step.optional().describe("Only files logged at this step"),
    images: z.boolean().default(true).describe(`Return up to ${MAX_IMAGES} of the listed images as image content (default true)`),
  }),
  output: z.object({ project: z.string(), run: z.string(), run_id: z.string(), media: z.array(MediaItem), images_attached: z.array(z.string()) }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  run: async (args, t) => {
    const project = await knownProject(t, args.project);
    const list = await listMedia(t.s, project, runRef(args), { name: args.name, step: args.step });
    const attached = args.images ? list.media.filter((m) => VIEWABLE.has(m.content_type) && m.size <= MAX_IMAGE_BYTES).slice(0, MAX_IMAGES) : [];
    return { ...list, images_attached: attached.map((m) => m.file_path) };
  },
  attach: async (result, t) => {
    const out = [];
    for (const filePath of result.images_attached) {
      const row = await mediaByPath(t.s, result.project, filePath);
      const obj = await t.s.env.MEDIA.get(row.r2Key);
      if (obj) out.push({ type: "image" as const, data: base64(new Uint8Array(await obj.arrayBuffer())), mimeType: row.contentType });
    }
    return out;
  },
});
