import { transform } from "esbuild";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, inject, it } from "vitest";
import { installPackedSdk, type PackedSdk } from "../helpers/packed-sdk";
import { codeBlocks, shellCommands } from "../helpers/readme";

// The `trackflare` package outside this repository: the tarball `npm pack` makes, installed into
// a fresh project, type-checked as a user's TypeScript (nodenext and bundler resolution, strict)
// and JavaScript, run against the local server, its CLI included. The code run is the README's.

const TS_CONSUMER = `import { Api, AlertLevel, NotFoundError, type Alert, type RunSummary, type WaitResult } from "trackflare";

const api = new Api();
const alerts: Alert[] = await api.alerts("p");
const level: "info" | "warn" | "error" = AlertLevel.ERROR;
// @ts-expect-error a level is one of three strings: the contract's types are there, not \`any\`
const wrong: Alert["level"] = "critical";
const wait: WaitResult = await api.waitForAlert("p", { cursor: 0, timeout: 0 });
const summary: Promise<RunSummary> = api.client.runs.get("p", "r");
summary.catch((e: unknown) => e instanceof NotFoundError);
console.log(alerts.length, level, wrong, wait.timed_out);
`;

const JS_CONSUMER = `// @ts-check
import { Api, NotFoundError } from "trackflare";

const api = new Api();
/** @type {import("trackflare").ProjectInfo[]} */
const projects = await api.projects();
// @ts-expect-error the types reach plain JavaScript: a run needs a project and a ref
await api.run("only-a-project").catch(() => null);
const missing = await api.run(projects[0]?.name ?? "none", "no-such-run").catch((e) => e);
console.log(JSON.stringify({ projects: projects.map((p) => p.name), notFound: missing instanceof NotFoundError }));
`;

describe("the packed trackflare package, installed outside the repository", () => {
  let pkg: PackedSdk;
  const env = () => ({ TRACKFLARE_URL: inject("baseUrl"), TRACKFLARE_TOKEN: inject("adminToken") });
  const [readmeSdk] = codeBlocks("README.md", "TypeScript SDK and CLI", "ts");
  const [sdkReadmeTs] = codeBlocks("sdk/README.md", "trackflare", "ts");

  beforeAll(() => {
    pkg = installPackedSdk();
    fs.writeFileSync(path.join(pkg.dir, "consumer.ts"), TS_CONSUMER);
    fs.writeFileSync(path.join(pkg.dir, "consumer.mjs"), JS_CONSUMER);
    fs.writeFileSync(path.join(pkg.dir, "readme.ts"), readmeSdk);
    fs.writeFileSync(path.join(pkg.dir, "sdk-readme.ts"), sdkReadmeTs);
  });
  afterAll(() => pkg?.remove());

  it("holds only its build, its launcher and its README, and points nowhere outside itself", ({ expect }) => {
    expect(pkg.files).toEqual(["README.md", "bin/trackflare.js", "dist/cli.js", "dist/cli.js.map", "dist/index.d.ts", "dist/index.js", "dist/index.js.map", "package.json"]);
    const installed = path.join(pkg.dir, "node_modules/trackflare");
    const manifest = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8"));
    expect(manifest.exports["."]).toMatchObject({ types: "./dist/index.d.ts", import: "./dist/index.js" });
    expect(manifest).toMatchObject({ sideEffects: false, bin: { trackflare: "./bin/trackflare.js" } });
    // The only module the declarations import is zod (a dependency); no relative path leaves dist/.
    const dts = fs.readFileSync(path.join(installed, "dist/index.d.ts"), "utf8");
    expect([...dts.matchAll(/from\s+['"]([^'"]+)['"]/g)].map((m) => m[1])).toEqual(["zod"]);
    for (const js of ["dist/index.js", "dist/cli.js"]) {
      const code = fs.readFileSync(path.join(installed, js), "utf8");
      const imports = new Set([...code.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]));
      expect([...imports].filter((m) => !/^(zod|ws|citty|node:\w+)$/.test(m)), js).toEqual([]);
    }
  });

  it("type-checks a strict TypeScript consumer and the READMEs' code under nodenext and bundler resolution", ({ expect }) => {
    const files = ["consumer.ts", "readme.ts", "sdk-readme.ts"];
    const common = ["--strict", "--noEmit", "--target", "es2022", "--types", "node", "--skipLibCheck", "false"];
    for (const mode of [["--module", "nodenext"], ["--module", "esnext", "--moduleResolution", "bundler"]]) {
      const r = pkg.tsc([...common, ...mode, ...files]);
      expect(r.stdout + r.stderr, mode.join(" ")).toBe("");
      expect(r.status).toBe(0);
    }
  });

  it("gives plain JavaScript its types and runs it", ({ expect }) => {
    const check = pkg.tsc(["--allowJs", "--checkJs", "--strict", "--noEmit", "--module", "nodenext", "--target", "es2022", "--types", "node", "consumer.mjs"]);
    expect(check.stdout + check.stderr).toBe("");
    const r = pkg.node("consumer.mjs", env());
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toMatchObject({ notFound: true });
  });

  it("runs the README's SDK code as written, and it terminates with what it promises", async ({ expect }) => {
    fs.writeFileSync(path.join(pkg.dir, "readme.mjs"), (await transform(readmeSdk, { loader: "ts", format: "esm" })).code);
    const r = pkg.node("readme.mjs", env());
    expect(r.status, r.stderr).toBe(0);
    // What the snippet prints, without the SDK's own Trackio-style notices ("* Created new run", "[TRACKFLARE ERROR] …").
    const lines = r.stdout.trim().split("\n").filter((l) => !/^(\* |\[TRACKFLARE )/.test(l));
    // Other READMEs' code may have added finished runs to "cifar"; the run's own errors are exact.
    expect(lines[0]).toMatch(/^<Run lr-0\.01 \([0-9a-f]{8}\) in project cifar>: [1-9]\d* finished run\(s\) with bs=64, 1 error alert\(s\)$/);
    expect(lines[1]).toMatch(/^loss diverged \d+$/);
    // The watch replays from cursor 0 in cursor order and closes on the first error.
    const watched = lines.slice(2);
    expect(watched.at(-1)).toMatch(/^\d+ error \S/);
    for (const line of watched.slice(0, -1)) expect(line).toMatch(/^\d+ warn \S/);
  });

  it("runs the package README's code against the server", async ({ expect }) => {
    fs.writeFileSync(path.join(pkg.dir, "sdk-readme.mjs"), (await transform(sdkReadmeTs, { loader: "ts", format: "esm" })).code);
    const r = pkg.node("sdk-readme.mjs", env());
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split("\n").at(-1)).toMatch(/^<Run baseline \([0-9a-f]{8}\) in project mnist>: 1 alert\(s\), timed out: false$/);
  });

  it("runs the README's CLI commands with the tarball's `trackflare`, each as written", ({ expect }) => {
    const config = path.join(pkg.dir, "trackflare-config.json");
    // Only TF and KEY, as the curl section exports them: everything after `login` reads the stored login.
    const unset = { TRACKFLARE_URL: "", TRACKFLARE_TOKEN: "", TRACKIO_SERVER_URL: "", TRACKIO_WRITE_TOKEN: "" };
    const shellEnv = { ...unset, TF: inject("baseUrl"), KEY: inject("adminToken"), TRACKFLARE_CONFIG: config, NO_COLOR: "1" };
    const results = shellCommands(codeBlocks("README.md", "TypeScript SDK and CLI", "sh")[0]).map((cmd) => ({ cmd, ...pick(pkg.sh(cmd, shellEnv)) }));
    for (const r of results) expect(r.status, `${r.cmd}\n${r.stderr}`).toBe(0);
    const out = (prefix: string) => results.find((r) => r.cmd.startsWith(`npx trackflare ${prefix}`))!.stdout;
    expect(JSON.parse(fs.readFileSync(config, "utf8"))).toMatchObject({ url: inject("baseUrl") });
    expect(out("list runs")).toMatch(/^Runs:\n(  - lr-0\.01  [0-9a-f]{8}\n)+/);
    expect(JSON.parse(out("get project"))).toMatchObject({ project: "cifar", last_step: 999 });
    const steps = out("get metric").trim().split("\n").slice(1).map((row) => Number(row.trim().split(/\s+/)[0])).filter((n) => !Number.isNaN(n));
    expect(steps).toEqual([495, 496, 497, 498, 499, 500, 501, 502, 503, 504, 505]);
    const waited = JSON.parse(out("wait alerts"));
    expect(waited.timed_out).toBe(false);
    expect(waited.alerts.map((a: { title: string }) => a.title)).toContain("loss diverged");
    expect(out("rules list")).toContain("{metric} diverged");
  });
});

const pick = (r: { status: number | null; stdout: string; stderr: string }) => ({ status: r.status, stdout: r.stdout, stderr: r.stderr });
