/** One POST the exit hook still has to make: a JSON body sent with the run's key. */
export type SyncRequest = { url: string; body: string; token: string | null };

type Hooked = {
  finishOnExit(status: "finished" | "failed"): Promise<void>;
  syncRequests(status: "finished" | "failed"): SyncRequest[];
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
const SENDER = `let d="";process.stdin.on("data",c=>d+=c).on("end",async()=>{for(const r of JSON.parse(d)){
const headers={"content-type":"application/json"};if(r.token)headers.authorization="Bearer "+r.token;
for(let i=0;i<3;i++){try{const res=await fetch(r.url,{method:"POST",headers,body:r.body,signal:AbortSignal.timeout(5000)});
if(res.status<500&&res.status!==429&&res.status!==408)break}catch{}await new Promise(f=>setTimeout(f,250*(i+1)))}}})`;

const active = new Set<Hooked>();
let spawnSync: typeof import("node:child_process").spawnSync | null = null;
const proc = (globalThis as { process?: NodeProcess }).process;

const statusFor = (code: unknown) => (code === undefined || code === 0 || code === "0" ? "finished" : "failed");

/** The last chance for every active run: their undelivered requests, sent by one blocking child process. */
function flushSync(status: "finished" | "failed") {
  const requests = [...active].flatMap((run) => run.syncRequests(status));
  active.clear();
  uninstall();
  if (!requests.length || !spawnSync || !proc) return;
  try {
    // The keys travel on stdin, never in argv (visible to `ps`).
    spawnSync(proc.execPath, ["-e", SENDER], { input: JSON.stringify(requests), timeout: 15_000, stdio: ["pipe", "ignore", "ignore"] });
  } catch {
    // nothing more can be done while the process exits
  }
}

// finish() is idempotent and unregisters its run when done; until then 'exit' can still rescue
// what an interrupted finish() had not sent.
const onBeforeExit = () => {
  for (const run of [...active]) void run.finishOnExit(statusFor(proc?.exitCode));
};
const onExit = (code: number) => flushSync(statusFor(code));
const onSignal = (signal: string) => {
  // Someone else handles the signal (a graceful shutdown): let them, 'exit' catches the rest.
  if (proc!.listenerCount(signal) > 1) return;
  flushSync("failed");
  proc!.kill(proc!.pid, signal);
};

let installed = false;
function install() {
  if (installed || !proc) return;
  installed = true;
  proc.on("beforeExit", onBeforeExit);
  proc.on("exit", onExit);
  proc.on("SIGINT", onSignal);
  proc.on("SIGTERM", onSignal);
}
function uninstall() {
  if (!installed || !proc) return;
  installed = false;
  proc.off("beforeExit", onBeforeExit);
  proc.off("exit", onExit);
  proc.off("SIGINT", onSignal);
  proc.off("SIGTERM", onSignal);
}

/**
 * Node only (a no-op elsewhere): one set of process listeners for all active runs. On
 * 'beforeExit' (the event loop ran dry) each run finishes normally; on 'exit' (process.exit(), an
 * uncaught exception) and on SIGINT/SIGTERM when nothing else handles them, whatever is still
 * buffered is sent synchronously by a short-lived child process: best effort, bounded to 15 s.
 * A non-zero exit code marks the runs failed. Returns the function that unregisters the run.
 */
export async function installExitHook(run: Hooked): Promise<() => void> {
  if (!proc?.versions?.node || typeof proc.on !== "function") return () => undefined;
  if (!spawnSync) {
    // A variable specifier keeps browser bundlers from trying to resolve a Node built-in.
    const specifier = "node:child_process";
    try {
      ({ spawnSync } = (await import(/* @vite-ignore */ specifier)) as typeof import("node:child_process"));
    } catch {
      return () => undefined;
    }
  }
  active.add(run);
  install();
  return () => {
    active.delete(run);
    if (!active.size) uninstall();
  };
}
