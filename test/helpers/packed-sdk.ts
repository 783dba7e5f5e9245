import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "./readme";

// The `trackflare` package as a user gets it: `npm pack` of sdk/, installed into a fresh project
// outside this repository. Its one dependency tree (zod, ws, citty) and @types/node come from
// npm's cache, which this repository's own install has filled, so it works offline.

const SDK = path.join(ROOT, "sdk");
const TSC = path.join(ROOT, "node_modules/typescript/bin/tsc");

/** npm reads `npm_config_*` from the environment; those of the `npm test` around us must not leak in. */
function npmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith("npm_")));
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = npmEnv(), timeout = 120_000): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, env, encoding: "utf8", timeout });
  if (r.error) throw r.error;
  return r;
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} exited with ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export type PackedSdk = {
  /** The consumer project (a temporary directory). */
  dir: string;
  /** The files the tarball holds, relative to the package root. */
  files: string[];
  /** Runs the repository's tsc in the consumer project. */
  tsc(args: string[]): SpawnSyncReturns<string>;
  /** Runs `node <file>` in the consumer project. */
  node(file: string, env: Record<string, string>, timeoutMs?: number): SpawnSyncReturns<string>;
  /** Runs one shell command line in the consumer project (`npx trackflare` is the tarball's). */
  sh(command: string, env: Record<string, string>, timeoutMs?: number): SpawnSyncReturns<string>;
  remove(): void;
};

export function installPackedSdk(): PackedSdk {
  if (!fs.existsSync(path.join(SDK, "dist/index.d.ts"))) throw new Error("sdk/dist is missing: run `npm run build:sdk` first");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "trackflare-consumer-"));
  const [packed] = JSON.parse(ok(run("npm", ["pack", "--json", "--pack-destination", dir], SDK), "npm pack")) as { filename: string; files: { path: string }[] }[];
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  const typesNode = JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules/@types/node/package.json"), "utf8")).version;
  ok(run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", `./${packed.filename}`, `@types/node@${typesNode}`], dir), "npm install of the tarball");
  return {
    dir,
    files: packed.files.map((f) => f.path).sort(),
    tsc: (args) => run(process.execPath, [TSC, ...args], dir),
    node: (file, env, timeoutMs = 60_000) => run(process.execPath, [file], dir, { ...npmEnv(), ...env }, timeoutMs),
    sh: (command, env, timeoutMs = 60_000) => run("bash", ["-c", command], dir, { ...npmEnv(), ...env }, timeoutMs),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
