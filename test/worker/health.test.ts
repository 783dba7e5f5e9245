import { describe, it } from "vitest";
import { api } from "../helpers/api";

describe("health", () => {
  it("answers without a key", async ({ expect }) => {
    const r = await api("GET", "/health", { token: null });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ ok: true });
  });
  it("refuses /v1 without a key in the one error shape", async ({ expect }) => {
    const r = await api("GET", "/v1/projects", { token: null });
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ error: { code: "unauthorized", message: "Missing or invalid API key" } });
  });
});
