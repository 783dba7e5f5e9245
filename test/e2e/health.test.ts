import { describe, inject, it } from "vitest";

describe("the local server", () => {
  it("serves /health and the dashboard", async ({ expect }) => {
    const base = inject("baseUrl");
    const h = await fetch(`${base}/health`);
    expect(h.status).toBe(200);
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>Trackflare</title>");
  });
});
