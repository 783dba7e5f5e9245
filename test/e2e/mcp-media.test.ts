import { createHash } from "node:crypto";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, inject, it } from "vitest";
import { baseUrl, callError, connect, makeKey, restOk, uniqueProject } from "../helpers/mcp-e2e";

// get_media through the official MCP client: the run's media listed, and its images returned as
// MCP image content (the bytes that were uploaded, base64), so a model that can see can look.

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const png = (n: number) => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(100 + n).fill(n)]);

async function upload(project: string, run: string, bytes: Uint8Array, type: string, query: string) {
  const res = await fetch(`${baseUrl()}/v1/projects/${project}/runs/${run}/media?${query}`, { method: "POST", headers: { authorization: `Bearer ${inject("adminToken")}`, "content-type": type }, body: new Blob([bytes as BlobPart]) });
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
  return res.json();
}

describe("MCP get_media", () => {
  const project = uniqueProject("mcp-media");
  let client: Client;

  beforeAll(async () => {
    await restOk("POST", `/v1/projects/${project}/runs`, { body: { name: "r" } });
    for (let step = 0; step < 3; step++) await upload(project, "r", png(step), "image/png", `step=${step}&name=samples/pred&caption=s${step}`);
    await upload(project, "r", new Uint8Array([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x41, 0x56, 0x45]), "audio/wav", "step=0&name=audio/tone");
    client = await connect(await makeKey("read", [project]));
  });
  afterAll(async () => client?.close());

  it("lists a run's media and returns its images as image content, narrowed by name and step", async ({ expect }) => {
    const r = (await client.callTool({ name: "get_media", arguments: { project, run: "r" } })) as CallToolResult;
    expect(r.isError).toBeFalsy();
    const data = r.structuredContent as any;
    expect(data.media.map((m: any) => [m.name, m.step, m.kind])).toEqual([
      ["audio/tone", 0, "audio"],
      ["samples/pred", 0, "image"],
      ["samples/pred", 1, "image"],
      ["samples/pred", 2, "image"],
    ]);
    const images = r.content.filter((c) => c.type === "image") as { data: string; mimeType: string }[];
    expect(images.map((i) => i.mimeType)).toEqual(["image/png", "image/png", "image/png"]);
    expect(images.map((i) => sha(Buffer.from(i.data, "base64")))).toEqual([0, 1, 2].map((n) => sha(png(n))));

    const one = (await client.callTool({ name: "get_media", arguments: { project, run: "r", name: "samples/pred", step: 2 } })) as CallToolResult;
    const only = one.content.filter((c) => c.type === "image") as { data: string }[];
    expect(only).toHaveLength(1);
    expect(sha(Buffer.from(only[0].data, "base64"))).toBe(sha(png(2)));
    const none = (await client.callTool({ name: "get_media", arguments: { project, run: "r", images: false } })) as CallToolResult;
    expect(none.content.filter((c) => c.type === "image")).toEqual([]);
    expect(await callError(client, "get_media", { project, run: "missing" })).toMatch(/^not_found: /);
  });
});
