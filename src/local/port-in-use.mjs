// Before `npm start` builds anything: is the port free, and if not, who holds it? Without this
// check a second start probed the first server's /health, printed its own banner and then died
// with the runtime's stack trace.
import fs from "node:fs";
import net from "node:net";

/** Resolves true when nothing listens on 127.0.0.1:port (we could bind it ourselves). */
export function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

/** The socket inodes listening on `port` (Linux /proc/net/tcp*; empty elsewhere). */
function listeningInodes(port) {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      // cols[1] local address "IP:PORT", cols[3] state (0A = LISTEN), cols[9] inode.
      if (cols.length > 9 && cols[1].endsWith(`:${hexPort}`) && cols[3] === "0A") inodes.add(cols[9]);
    }
  }
  return inodes;
}

function commandLine(pid) {
  try {
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
    return cmd.length > 120 ? `${cmd.slice(0, 117)}...` : cmd;
  } catch {
    return "?";
  }
}

function parentOf(pid) {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so split after ")".
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1] ?? null;
  } catch {
    return null;
  }
}

/** The process holding one of those sockets, as `pid (command line)`, when this user may see it. */
function processOf(inodes) {
  if (!inodes.size) return null;
  let pids;
  try {
    pids = fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  for (const pid of pids) {
    let fds;
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target;
      try {
        target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m && inodes.has(m[1])) {
        const cmd = commandLine(pid);
        // workerd is started by a Node process (`npm start`, `wrangler dev`, a test): name that one too.
        const parent = /\bworkerd\b/.test(cmd) ? parentOf(pid) : null;
        return `process ${pid} (${cmd})${parent ? `, started by process ${parent} (${commandLine(parent)})` : ""}`;
      }
    }
  }
  return null;
}

/** Whether what listens there answers as a Trackflare server. */
async function answersAsTrackflare(port) {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) });
    const body = await res.json();
    return res.ok && body?.ok === true;
  } catch {
    return false;
  }
}

/** One sentence saying who holds the port, for the error `npm start` prints. */
export async function describePortHolder(port) {
  const who = processOf(listeningInodes(port)) ?? "another process";
  const trackflare = await answersAsTrackflare(port);
  return `Port ${port} is already in use by ${who}${trackflare ? `, which answers as a Trackflare server at http://127.0.0.1:${port}` : ""}.`;
}
