import { afterEach, describe, it, vi } from "vitest";
import { resolveConnection } from "../../sdk/src/connection";

describe("resolveConnection", () => {
  afterEach(() => vi.unstubAllEnvs());
  const env = (vars: Record<string, string>) => {
    for (const k of ["TRACKFLARE_URL", "TRACKFLARE_TOKEN", "TRACKIO_SERVER_URL", "TRACKIO_WRITE_TOKEN"]) vi.stubEnv(k, vars[k] ?? "");
  };

  it("arguments, then TRACKFLARE_*, then Trackio's variables", ({ expect }) => {
    env({ TRACKFLARE_URL: "http://tf:1/", TRACKFLARE_TOKEN: "tf", TRACKIO_SERVER_URL: "http://trackio:2", TRACKIO_WRITE_TOKEN: "ti" });
    expect(resolveConnection({ url: "https://arg:3", token: "a" })).toEqual({ url: "https://arg:3", token: "a" });
    expect(resolveConnection()).toEqual({ url: "http://tf:1", token: "tf" });
    env({ TRACKIO_SERVER_URL: "http://trackio:2", TRACKIO_WRITE_TOKEN: "ti" });
    expect(resolveConnection()).toEqual({ url: "http://trackio:2", token: "ti" });
  });

  it("moves Trackio's ?write_token= out of the URL into the key", ({ expect }) => {
    env({});
    expect(resolveConnection({ url: "http://host:7860/?write_token=secret" })).toEqual({ url: "http://host:7860", token: "secret" });
  });

  it("refuses a missing or non-http URL with a message that says what to set", ({ expect }) => {
    env({});
    expect(() => resolveConnection()).toThrow(/No server URL: pass `url`, or set TRACKFLARE_URL/);
    expect(() => resolveConnection({ url: "ftp://x" })).toThrow(/must be an http\(s\) URL/);
    expect(() => resolveConnection({ url: "not a url" })).toThrow(/Invalid server URL 'not a url'/);
  });
});
