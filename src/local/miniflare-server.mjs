// The Worker under Miniflare's API directly: one workerd serving the port, without the proxy
// Worker that `wrangler dev` puts in front of it (about 1 ms a request, and a second hop for
// every WebSocket frame). The bindings come from wrangler.toml through wrangler's own reader, so
// D1, R2, Durable Objects, Queues (with their dead-letter queue) and assets are the ones wrangler
// would bind, and the state lives where `wrangler dev --persist-to` keeps it.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Bundles the Worker exactly as `wrangler deploy` would (same entry, aliases and node_compat
 * shims), into a fresh directory.
 */
function bundle(root, wrangler, env) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "trackflare-bundle-"));
  const r = spawnSync(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", outdir], { cwd: root, env: { ...process.env, ...env, CI: "1" }, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`bundling the Worker failed:\n${r.stdout}\n${r.stderr}`);
  return outdir;
}

/** Collects workerd's output; echoes it unless quiet. */
function runtimeOutput(quiet) {
  let text = "";
  const take = (stream, sink) =>
    stream.on("data", (d) => {
      text = (text + d).slice(-20_000);
      if (!quiet) sink.write(d);
    });
  return {
    handle: (stdout, stderr) => {
      take(stdout, process.stdout);
      take(stderr, process.stderr);
    },
    text: () => text,
  };
}

/**
 * Starts the Worker on `127.0.0.1:port` under Miniflare and resolves once it listens.
 * @param {{ root: string, wrangler: string, offlineEnv: Record<string,string>, port: number, persistTo: string, bindings: Record<string,string>, quiet?: boolean }} opts
 */
export async function startMiniflare(opts) {
  // Loaded here, not at the top: they take seconds to import, and `npm start` checks its port first.
  const [{ Log, LogLevel, Miniflare }, { unstable_getMiniflareWorkerOptions }] = await Promise.all([import("miniflare"), import("wrangler")]);
  const outdir = bundle(opts.root, opts.wrangler, opts.offlineEnv);
  const { workerOptions } = unstable_getMiniflareWorkerOptions(path.join(opts.root, "wrangler.toml"));
  const output = runtimeOutput(opts.quiet);
  const mf = new Miniflare({
    ...workerOptions,
    name: "trackflare",
    modules: true,
    modulesRules: [{ type: "ESModule", include: ["**/*.js"] }],
    scriptPath: path.join(outdir, "index.js"),
    // Without it workerd refuses the bundle's module paths ("can't use '..' to break out").
    modulesRoot: outdir,
    bindings: { ...workerOptions.bindings, ...opts.bindings },
    // The layout `wrangler d1 migrations apply --local --persist-to` and `wrangler dev --persist-to` use.
    defaultPersistRoot: path.join(opts.persistTo, "v3"),
    host: "127.0.0.1",
    port: opts.port,
    log: new Log(opts.quiet ? LogLevel.NONE : LogLevel.WARN),
    handleRuntimeStdio: output.handle,
  });
  try {
    await mf.ready;
  } catch (err) {
    fs.rmSync(outdir, { recursive: true, force: true });
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${output.text()}`);
  }
  return {
    output: output.text,
    async close() {
      await mf.dispose();
      fs.rmSync(outdir, { recursive: true, force: true });
    },
  };
}
