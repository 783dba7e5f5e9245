// Local D1 in a workerd of its own. workerd runs every Worker and object of one process on one
// thread, so under a single Miniflare the Worker's JavaScript and local D1's SQLite take turns on
// one core while the machine's others idle. On Cloudflare D1 is a service of its own anyway; here
// a second Miniflare hosts the database, and the Worker's D1 binding reaches it through
// Miniflare's remote-binding client (the `remoteProxyConnectionString` wrangler uses for
// `remote = true` bindings), pointed at this host instead of Cloudflare. The binding the Worker
// sees is the same `D1Database`; only its inner fetcher's requests cross a local socket.

// The host's one Worker: the remote-binding client sends the binding's own request with its URL
// and headers moved into MF-* headers; this puts them back and hands the request to the binding's
// inner fetcher, which is local D1's database object.
const HOST_WORKER = `export default {
  fetch(request, env) {
    const headers = new Headers();
    for (const [name, value] of request.headers) if (name.startsWith("mf-header-")) headers.set(name.slice(10), value);
    const binding = env[request.headers.get("MF-Binding")];
    if (!binding) return new Response("unknown D1 binding", { status: 404 });
    return binding.fetcher.fetch(request.headers.get("MF-URL"), { method: request.method, headers, body: request.body });
  },
};`;

/**
 * Starts the host for wrangler's `d1Databases` (binding → `{ id }`) with its state under
 * `persistRoot` (where the single-process layout keeps it, so both share one database) and
 * returns the `d1Databases` the Worker should be given instead. `inspectorPort`: the host's own
 * inspector (bench/profile.mjs profiles local D1 through it).
 */
export async function startD1Host({ Miniflare, Log, LogLevel, d1Databases, persistRoot, quiet, handleRuntimeStdio, inspectorPort }) {
  const mf = new Miniflare({
    name: "trackflare-d1",
    modules: true,
    script: HOST_WORKER,
    d1Databases,
    defaultPersistRoot: persistRoot,
    host: "127.0.0.1",
    port: 0,
    // A direct socket into the host Worker, without Miniflare's entry Worker in front of it.
    unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
    cf: false,
    log: new Log(quiet ? LogLevel.NONE : LogLevel.WARN),
    handleRuntimeStdio,
    ...(inspectorPort ? { inspectorPort } : {}),
  });
  await mf.ready;
  const url = await mf.unsafeGetDirectURL("trackflare-d1");
  const remote = Object.fromEntries(Object.entries(d1Databases).map(([name, db]) => [name, { ...db, remoteProxyConnectionString: url }]));
  return { d1Databases: remote, close: () => mf.dispose() };
}
