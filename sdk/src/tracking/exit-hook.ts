/** One POST the exit hook still has to make (JSON body, sent with the run's key). */
export type SyncRequest = { url: string; body: string };

type Hooked = {
  finishOnExit(status: "finished" | "failed"): Promise<void>;
  syncRequests(status: "finished" | "failed"): SyncRequest[];
  readonly token: string | null;
  warn(message: string): void;
};

type NodeProcess = {
  versions?: { node?: string };
  exitCode?: number | string;
  execPath: string;
  pid: number;
  on(event: string, fn: (...a: any[]) => void): void;
  off(event: string, fn: (...a: any[]) => void): void;
  listenerCount(event: string): number;
  kill(pid: number, signal: string): void;
};

// Sends the requests read from stdin in order, each tried three times. It runs in a child
// process because an 'exit' handler may only do synchronous work: spawnSync blocks until it ends.
const SENDER = `let d="";process.stdin.on("data",c=>d+=c).on("end",async()=>{const p=JSON.parse(d);
for(const r of p.requests){for(let i=0;i<3;i++){try{const res=await fetch(r.url,{method:"POST",headers:p.headers,body:r.body,signal:AbortSignal.timeout(5000)});
if(res.status<500&&res.status!==429&&res.status!==408)break}catch{}await new Promise(f=>setTimeout(f,250*(i+1)))}}})`;

/**
 * Node only (a no-op elsewhere): on 'beforeExit' (the event loop ran dry) the run finishes
 * normally; on 'exit' (process.exit(), an uncaught exception) and on SIGINT/SIGTERM when nothing
 * else handles them, whatever is still buffered is sent synchronously by a short-lived child
 * process: best effort, bounded to 15 s. A non-zero exit code marks the run failed.
 */
export async function installExitHook(run: Hooked): Promise<() => void> {
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (!proc?.versions?.node || typeof proc.on !== "function") return () => undefined;
  // A variable specifier keeps browser bundlers from trying to resolve a Node built-in.
  const specifier = "node:child_process";
  let spawnSync: typeof import("node:child_process").spawnSync;
  try {
    ({ spawnSync } = await import(/* @vite-ignore */ specifier));
  } catch {
    return () => undefined;
  }
  const statusFor = (code: unknown) => (code === undefined || code === 0 || code === "0" ? "finished" : "failed");
  const flushSync = (status: "finished" | "failed") => {
    const requests = run.syncRequests(status);
    if (!requests.length) return;
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (run.token) headers.authorization = `Bearer ${run.token}`;
    try {
      spawnSync(proc.execPath, ["-e", SENDER], { input: JSON.stringify({ headers, requests }), timeout: 15_000, stdio: ["pipe", "ignore", "ignore"] });
    } catch {
      // nothing more can be done while the process exits
    }
  };
  let finishing = false;
  const onBeforeExit = () => {
    if (finishing) return;
    finishing = true;
    void run.finishOnExit(statusFor(proc.exitCode));
  };
  const onExit = (code: number) => flushSync(statusFor(code));
  const onSignal = (signal: string) => {
    // Someone else handles the signal (a graceful shutdown): let them, 'exit' catches the rest.
    if (proc.listenerCount(signal) > 1) return;
    remove();
    flushSync("failed");
    proc.kill(proc.pid, signal);
  };
  proc.on("beforeExit", onBeforeExit);
  proc.on("exit", onExit);
  proc.on("SIGINT", onSignal);
  proc.on("SIGTERM", onSignal);
  function remove() {
    proc!.off("beforeExit", onBeforeExit);
    proc!.off("exit", onExit);
    proc!.off("SIGINT", onSignal);
    proc!.off("SIGTERM", onSignal);
  }
  return remove;
}
