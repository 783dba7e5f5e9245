// `npm test` should show what failed and little else. Two kinds of lines are printed by the tools
// in every run and say nothing about Trackflare, so they are dropped from this process's output:
// Vite's note that the MCP SDK's published source maps name sources it does not ship, and
// workerd's log line when a test's WebSocket client goes away (the pool's own ignore list has its
// siblings). Everything else, and every line of a failing test, is printed as it comes.

const NOISE = [/^Sourcemap for ".*\/node_modules\/.*" points to missing source files$/, /^exception = workerd\/api\/web-socket\.c\+\+:\d+: disconnected: WebSocket peer disconnected$/];

export function dropToolNoise(stream: NodeJS.WriteStream = process.stderr): void {
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk !== "string" && !(chunk instanceof Uint8Array)) return write(chunk, ...rest);
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    const kept = text.split("\n").filter((line) => !NOISE.some((re) => re.test(line.replace(/\x1b\[[0-9;]*m/g, ""))));
    if (kept.length === text.split("\n").length) return write(chunk, ...rest);
    const out = kept.join("\n");
    return out.trim() ? write(out, ...rest) : (typeof rest.at(-1) === "function" && (rest.at(-1) as () => void)(), true);
  }) as typeof stream.write;
}
