import net from "node:net";
import path from "node:path";
import { describe, inject, it } from "vitest";
import { runNode } from "../helpers/run-node";

// A second `npm start` on a taken port must say so, and by what, before building or printing
// anything else (it used to print the full banner, then die with the runtime's stack trace).

const ROOT = path.resolve(import.meta.dirname, "../..");

// ADMIN_TOKEN set: a refused start must not even write .dev.vars.
const npmStart = (port: number) =>
  runNode([path.join(ROOT, "src/local/start.mjs")], { cwd: ROOT, env: { ...process.env, PORT: String(port), ADMIN_TOKEN: "tf_admin_port_test" } });

describe("npm start on a port in use", () => {
  it("names the process holding the port and exits 1 without the banner", async ({ expect }) => {
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(0, "127.0.0.1", r));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const r = await npmStart(port);
      expect(r.code).toBe(1);
      expect(r.stdout).not.toContain("Trackflare is running");
      expect(r.stderr).toContain(`Port ${port} is already in use by process ${process.pid} (`);
      expect(r.stderr).not.toContain("answers as a Trackflare server");
      expect(r.stderr).toContain(`PORT=${port + 1} npm start`);
    } finally {
      holder.close();
    }
  });

  it("says when what holds the port is a Trackflare server", async ({ expect }) => {
    const port = Number(new URL(inject("baseUrl")).port);
    const r = await npmStart(port);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain("Trackflare is running");
    expect(r.stderr).toContain(`Port ${port} is already in use by process `);
    expect(r.stderr).toContain(`which answers as a Trackflare server at http://127.0.0.1:${port}`);
    // No stack trace: one sentence and the way out.
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
