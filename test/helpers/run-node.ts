import { spawn } from "node:child_process";

export type NodeResult = { code: number | null; stdout: string; stderr: string };

/** Runs `node <args>` to completion, collecting its output; rejects after `timeoutMs` (then killed). */
export function runNode(args: string[], opts: { env: NodeJS.ProcessEnv; cwd: string; timeoutMs?: number }): Promise<NodeResult> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: opts.env, cwd: opts.cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`node ${args.join(" ")} did not exit within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
