import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
export const ROOT = path.join(import.meta.dirname, "../..");
/** The suite's own virtualenv (`bash .ci/run` also installs transformers, accelerate and CPU torch into it). */
export const VENV = process.env.TRACKFLARE_TEST_VENV ?? path.join(ROOT, ".cache/python-venv");
export const PYTHON = path.join(VENV, "bin/python");
export const PY_TESTS = path.join(ROOT, "sdk/python/tests");

// The machine's pip may also list an index it cannot reach: fail over at once rather than retry it.
const PIP = ["-m", "pip", "install", "-q", "--retries", "0", "--disable-pip-version-check"];

/**
 * Makes the virtualenv if it is missing (stdlib venv), adds pytest when absent, and installs this
 * checkout's client into it (`pip install ./sdk/python`), so the tests import what users install.
 */
export async function preparePython(): Promise<void> {
  if (!fs.existsSync(PYTHON)) await run(process.env.PYTHON ?? "python3", ["-m", "venv", VENV]);
  const has = async (mod: string) => run(PYTHON, ["-c", `import ${mod}`]).then(() => true, () => false);
  const missing: string[] = [];
  for (const [mod, pkg] of [["pytest", "pytest"], ["setuptools", "setuptools"], ["wheel", "wheel"]]) if (!(await has(mod))) missing.push(pkg);
  if (missing.length) await run(PYTHON, [...PIP, ...missing], { maxBuffer: 16 << 20 });
  // No build isolation: the build needs only setuptools and wheel, already in the venv.
  await run(PYTHON, [...PIP, "--no-deps", "--no-build-isolation", "--force-reinstall", path.join(ROOT, "sdk/python")], { cwd: ROOT, maxBuffer: 16 << 20 });
  fs.rmSync(path.join(ROOT, "sdk/python/build"), { recursive: true, force: true });
}

export type PytestResult = { code: number; output: string; cases: { name: string; outcome: "passed" | "failed" | "skipped"; message: string }[] };

/** Runs one pytest file against the server the e2e setup started; outcomes from its JUnit report. */
export async function pytest(file: string, env: Record<string, string>): Promise<PytestResult> {
  const report = path.join(ROOT, "test/.tmp", `pytest-${path.basename(file, ".py")}-${process.pid}.xml`);
  fs.mkdirSync(path.dirname(report), { recursive: true });
  let code = 0;
  let output = "";
  try {
    const r = await run(PYTHON, ["-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", `--junitxml=${report}`, file], {
      cwd: path.join(ROOT, "sdk/python"),
      env: { ...process.env, ...env, TRACKFLARE_REPO: ROOT, PYTHONDONTWRITEBYTECODE: "1" },
      maxBuffer: 64 << 20,
      timeout: 900_000,
    });
    output = r.stdout + r.stderr;
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    code = typeof e.code === "number" ? e.code : 1;
    output = `${e.stdout ?? ""}${e.stderr ?? ""}`;
  }
  const xml = fs.existsSync(report) ? fs.readFileSync(report, "utf8") : "";
  fs.rmSync(report, { force: true });
  const cases = [...xml.matchAll(/<testcase [^>]*name="([^"]+)"[^>]*?(?:\/>|>([\s\S]*?)<\/testcase>)/g)].map((m) => {
    const body = m[2] ?? "";
    const outcome = /<(failure|error)\b/.test(body) ? "failed" : /<skipped\b/.test(body) ? "skipped" : "passed";
    const message = /message="([^"]*)"/.exec(body)?.[1] ?? "";
    return { name: m[1], outcome, message: message.replaceAll("&quot;", '"').replaceAll("&apos;", "'").replaceAll("&amp;", "&") } as const;
  });
  return { code, output, cases };
}
