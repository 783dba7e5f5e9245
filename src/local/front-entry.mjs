// The module `npm start` serves its port from: the bundled Worker, re-exported whole (its default
// handlers, its Durable Object class), plus one named entrypoint, `LocalFront`, that the port's
// socket calls. On Cloudflare, and under Miniflare's default socket, each request first passes
// Cloudflare's assets router (two more Workers in workerd, ~0.3 ms a request here), which sends the
// `run_worker_first` paths to the Worker and everything else to the assets. LocalFront makes the
// same decision itself: the router checks the same globs first, and with static routing and
// `single-page-application` every other path is served by the assets (index.html when no file
// matches), which is what `env.ASSETS.fetch` answers.

/** wrangler.toml's `run_worker_first` globs as the router reads them: `*` is any run of characters, the rest literal. */
export function workerFirstPatterns(globs) {
  return globs.map((g) => `^${g.split("*").map((part) => part.replace(/[-/\\^$*+?.()|[\]{}]/g, "\\$&")).join(".*")}$`);
}

/** The entry module's source; `workerModule` is the bundle's file name, next to it. */
export function frontEntrySource(workerModule, globs) {
  return `import { WorkerEntrypoint } from "cloudflare:workers";
import worker from "./${workerModule}";
export * from "./${workerModule}";
export default worker;
const WORKER_FIRST = ${JSON.stringify(workerFirstPatterns(globs))}.map((p) => new RegExp(p));
export class LocalFront extends WorkerEntrypoint {
  fetch(request) {
    const { pathname } = new URL(request.url);
    if (WORKER_FIRST.some((p) => p.test(pathname))) return worker.fetch(request, this.env, this.ctx);
    return this.env.ASSETS.fetch(request);
  }
}
`;
}
