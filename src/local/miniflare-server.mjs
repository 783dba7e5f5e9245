// The Worker under Miniflare's API directly: one workerd serving the port, without the proxy
// Worker that `wrangler dev` puts in front of it (about 1 ms a request, and a second hop for
// every WebSocket frame). The bindings come from wrangler.toml through wrangler's own reader, so
// D1, R2, Durable Objects, Queues (with their dead-letter queue) and assets are the ones wrangler
// would bind, and the state lives where `wrangler dev --persist-to` keeps it.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseEnv } from "node:util";
import { startD1Host } from "./d1-host.mjs";
import { frontEntrySource } from "./front-entry.mjs";

/**
 * Bundles the Worker exactly as `wrangler deploy` would (same entry, aliases and node_compat
 * shims), into a fresh directory. `assets`: the dashboard build it checks instead of wrangler.toml's.
 */
function bundle(root, wrangler, env, assets) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "trackflare-bundle-"));
  const args = [wrangler, "deploy", "--dry-run", "--outdir", outdir, ...(assets ? ["--assets", assets] : [])];
  const r = spawnSync(process.execPath, args, { cwd: root, env: { ...process.env, ...env, CI: "1" }, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`bundling the Worker failed:\n${r.stdout}\n${r.stderr}`);
  return outdir;
}

/** Runs `fn` with wrangler's own messages ("Using secrets defined in .dev.vars") silenced when quiet. */
function quietWrangler(quiet, fn) {
  if (!quiet) return fn();
  const before = process.env.WRANGLER_LOG;
  process.env.WRANGLER_LOG = "error";
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.WRANGLER_LOG;
    else process.env.WRANGLER_LOG = before;
  }
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
 * `bindings` are added to wrangler.toml's vars and `.dev.vars` (or, given `envFile`, that file
 * instead of `.dev.vars`, as `wrangler dev --env-file` reads it); `assets` replaces the assets
 * directory. Local D1 runs in a workerd of its own (src/local/d1-host.mjs) unless `inlineD1`.
 * @param {{ root: string, wrangler: string, offlineEnv: Record<string,string>, port: number, persistTo: string, bindings: Record<string,string>, quiet?: boolean, assets?: string, envFile?: string, inspectorPort?: number, d1InspectorPort?: number, inlineD1?: boolean }} opts
 */
export async function startMiniflare(opts) {
  // Loaded here, not at the top: they take seconds to import, and `npm start` checks its port first.
  const [{ Log, LogLevel, Miniflare }, { unstable_getMiniflareWorkerOptions, unstable_readConfig }] = await Promise.all([import("miniflare"), import("wrangler")]);
  const outdir = bundle(opts.root, opts.wrangler, opts.offlineEnv, opts.assets);
  const config = unstable_readConfig({ config: path.join(opts.root, "wrangler.toml") });
  const { workerOptions } = quietWrangler(opts.quiet, () => unstable_getMiniflareWorkerOptions(config));
  // wrangler's reader adds .dev.vars to the vars; an env file replaces it.
  const fileVars = opts.envFile ? { ...config.vars, ...parseEnv(fs.readFileSync(opts.envFile, "utf8")) } : workerOptions.bindings;
  const assets = opts.assets ? { ...workerOptions.assets, directory: path.resolve(opts.assets) } : workerOptions.assets;
  const output = runtimeOutput(opts.quiet);
  const globs = config.assets?.run_worker_first;
  if (!Array.isArray(globs) || !assets?.binding) throw new Error("wrangler.toml: [assets] needs a binding and run_worker_first as a list of paths");
  fs.writeFileSync(path.join(outdir, "local-front.js"), frontEntrySource("index.js", globs));
  // The layout `wrangler d1 migrations apply --local --persist-to` and `wrangler dev --persist-to` use.
  const persistRoot = path.join(opts.persistTo, "v3");
  // Local D1's host starts first: its socket goes into the Worker's D1 binding. If either fails to
  // start, both are closed and the bundle removed.
  let d1 = null;
  let mf;
  try {
    d1 = opts.inlineD1
      ? null
      : await startD1Host({ Miniflare, Log, LogLevel, d1Databases: workerOptions.d1Databases, persistRoot, quiet: opts.quiet, handleRuntimeStdio: output.handle, inspectorPort: opts.d1InspectorPort });
    mf = new Miniflare({
      ...workerOptions,
      ...(d1 ? { d1Databases: d1.d1Databases } : {}),
      assets,
      name: "trackflare",
      modules: true,
      modulesRules: [{ type: "ESModule", include: ["**/*.js"] }],
      scriptPath: path.join(outdir, "local-front.js"),
      // Without it workerd refuses the bundle's module paths ("can't use '..' to break out").
      modulesRoot: outdir,
      bindings: { ...fileVars, ...opts.bindings },
      defaultPersistRoot: persistRoot,
      // The port is a direct socket into the Worker's module (local-front.js: API paths to the Worker,
      // the rest to the dashboard's assets, as Cloudflare's assets router decides). Miniflare's own
      // entry Worker, which would otherwise sit in front on every request, costs ~0.4 ms a request
      // and gzips every JSON answer in workerd for a client on the same machine; what it adds is not
      // used here (request.cf, the /cdn-cgi/ handlers, live reload, pretty error pages). Miniflare
      // still wants its own socket, given a free port nobody calls.
      host: "127.0.0.1",
      port: 0,
      unsafeDirectSockets: [{ host: "127.0.0.1", port: opts.port, entrypoint: "LocalFront" }],
      // A placeholder request.cf: fetching the real one needs the network, and offline it prints an error.
      cf: false,
      log: new Log(opts.quiet ? LogLevel.NONE : LogLevel.WARN),
      handleRuntimeStdio: output.handle,
      // bench/profile.mjs takes CPU profiles of the Worker and its objects through it.
      ...(opts.inspectorPort ? { inspectorPort: opts.inspectorPort } : {}),
    });
    await mf.ready;
  } catch (err) {
    // A Worker that failed to become ready may still have its workerd running.
    await mf?.dispose().catch(() => {});
    await d1?.close();
    fs.rmSync(outdir, { recursive: true, force: true });
    const what = d1 || opts.inlineD1 ? "" : "local D1 did not start: ";
    throw new Error(`${what}${err instanceof Error ? err.message : String(err)}\n${output.text()}`);
  }
  return {
    output: output.text,
    async close() {
      await mf.dispose();
      await d1?.close();
      fs.rmSync(outdir, { recursive: true, force: true });
    },
  };
}
