// Runs the whole system on this machine: local D1 (migrations applied), Durable Objects and
// Queues, under Miniflare's API directly (what `npm start`, the end-to-end tests and the
// benchmarks run) or under `wrangler dev` (`npm run dev`: reloads on every source change).
import { spawn, spawnSync } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startMiniflare } from "./miniflare-server.mjs";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const WRANGLER = path.join(ROOT, "node_modules/wrangler/bin/wrangler.js");

/** No login, no telemetry, no request.cf lookup: everything here works offline. */
export const OFFLINE_ENV = { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CLOUDFLARE_API_TOKEN: "" };

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Builds the dashboard into dist/dashboard, or into `outDir` (the tests' own copy). */
export function buildDashboard(outDir) {
  const out = outDir ? ["--outDir", outDir, "--emptyOutDir"] : [];
  const r = spawnSync(process.execPath, [path.join(ROOT, "node_modules/vite/bin/vite.js"), "build", "--config", "src/dashboard/vite.config.ts", "--logLevel", "warn", ...out], {
    cwd: ROOT,
    stdio: "inherit",
  });
  if (r.status !== 0) throw new Error("dashboard build failed");
}

export function applyMigrations(persistTo) {
  const r = spawnSync(process.execPath, [WRANGLER, "d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo], {
    cwd: ROOT,
    env: { ...process.env, ...OFFLINE_ENV, CI: "1" },
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`migrations failed:\n${r.stdout}\n${r.stderr}`);
}

async function waitForHealth(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`wrangler dev did not answer /health within ${timeoutMs} ms`);
}

/**
 * Starts the Worker on 127.0.0.1 and resolves once /health answers. `engine`: `miniflare` (the
 * default) or `wrangler` (`wrangler dev`, with live reload and the inspector). `assets` serves
 * another build of the dashboard than dist/dashboard; `envFile` is read instead of `.dev.vars`
 * (the tests pass an empty one, so a developer's `.dev.vars` never reaches them). `inlineD1` (or
 * TRACKFLARE_LOCAL_D1=inline) keeps local D1 in the Worker's workerd instead of its own.
 * @param {{ port?: number, persistTo: string, adminToken: string, vars?: Record<string,string>, quiet?: boolean, engine?: "miniflare" | "wrangler", assets?: string, envFile?: string, inspectorPort?: number, d1InspectorPort?: number, inlineD1?: boolean }} opts
 */
export async function startDevServer(opts) {
  applyMigrations(opts.persistTo);
  const vars = { ADMIN_TOKEN: opts.adminToken, ...opts.vars };
  const start = (port) => (opts.engine === "wrangler" ? startWranglerDev(opts, port, vars) : startMiniflareServer(opts, port, vars));
  if (opts.port !== undefined) return start(opts.port);
  // A port found free can be taken before workerd binds it (by another server's own socket on an
  // ephemeral port, say); without a port asked for, another free one is as good.
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await freePort());
    } catch (err) {
      if (attempt >= 3 || !/address already in use/i.test(String(err?.message))) throw err;
    }
  }
}

async function startMiniflareServer(opts, port, vars) {
  const server = await startMiniflare({
    root: ROOT,
    wrangler: WRANGLER,
    offlineEnv: OFFLINE_ENV,
    port,
    persistTo: opts.persistTo,
    bindings: vars,
    quiet: opts.quiet,
    assets: opts.assets,
    envFile: opts.envFile,
    inspectorPort: opts.inspectorPort,
    d1InspectorPort: opts.d1InspectorPort,
    // Local D1 in the Worker's own workerd, as before it had one of its own: to measure that
    // lever (bench/) or on a one-core machine, where a second process only adds its hop.
    inlineD1: opts.inlineD1 ?? process.env.TRACKFLARE_LOCAL_D1 === "inline",
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, null, 60_000);
  } catch (err) {
    await server.close();
    throw new Error(`${err.message}\n${server.output()}`);
  }
  let closed = null;
  return { url, port, output: server.output, close: () => (closed ??= server.close()) };
}

async function startWranglerDev(opts, port, vars) {
  const args = [WRANGLER, "dev", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", opts.persistTo, "--inspector-port", String(await freePort()), "--show-interactive-dev-session=false"];
  for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
  if (opts.assets) args.push("--assets", opts.assets);
  if (opts.envFile) args.push("--env-file", opts.envFile);
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...OFFLINE_ENV },
    stdio: opts.quiet ? ["ignore", "pipe", "pipe"] : ["ignore", "inherit", "inherit"],
    detached: process.platform !== "win32",
  });
  let output = "";
  child.stdout?.on("data", (d) => (output = (output + d).slice(-20_000)));
  child.stderr?.on("data", (d) => (output = (output + d).slice(-20_000)));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, child, 60_000);
  } catch (err) {
    stop();
    throw new Error(`${err.message}\n${output}`);
  }
  function stop(signal = "SIGTERM") {
    if (child.exitCode !== null) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      child.kill(signal);
    }
  }
  return {
    url,
    port,
    child,
    output: () => output,
    stop,
    /** Resolves once the process group has exited. */
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      stop("SIGTERM");
      const t = setTimeout(() => stop("SIGKILL"), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}
