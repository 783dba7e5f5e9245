import { group, intFlag, leaf, levelFlag, projectArg, UsageError } from "../_args";
import { cliClient } from "../config";
import { keyValues, note, print, table } from "../output";

const add = leaf({
  name: "webhooks add",
  description: "Subscribe a URL to a project's alerts (Slack and Discord URLs are detected)",
  args: {
    target: { type: "positional", required: true, description: "The URL to POST alerts to" },
    ...projectArg,
    "min-level": { type: "string", description: "Only alerts at this level or above (default info)" },
    run: { type: "string", description: "Only this run's alerts" },
    kind: { type: "string", description: "slack, discord or generic (default: from the URL)" },
  },
  async run({ args }) {
    if (args.kind !== undefined && !["slack", "discord", "generic"].includes(args.kind)) throw new UsageError(`Option '--kind' must be slack, discord or generic, got '${args.kind}'`);
    const hook = await cliClient(args).webhooks.add(args.project, { url: args.target, min_level: levelFlag(args, "min-level"), run: args.run, kind: args.kind as never });
    if (!args.json) note("Store the signing secret now: it is not shown again.");
    print(args, hook, (h) => keyValues(h));
  },
});

const list = leaf({
  name: "webhooks list",
  description: "List a project's webhook subscriptions",
  args: { ...projectArg },
  async run({ args }) {
    const res = await cliClient(args).webhooks.list(args.project);
    print(args, res, (d) => (d.webhooks.length ? table(d.webhooks, ["id", "kind", "min_level", "run", "enabled", "url"]) : "No webhooks found."));
  },
});

const remove = leaf({
  name: "webhooks remove",
  description: "Delete a webhook subscription",
  args: { id: { type: "positional", required: true, description: "The webhook's id" }, ...projectArg },
  async run({ args }) {
    const res = await cliClient(args).webhooks.remove(args.project, args.id);
    print(args, res, () => `Removed webhook ${args.id}.`);
  },
});

const rotate = leaf({
  name: "webhooks rotate-secret",
  description: "Replace a webhook's signing secret (shown once)",
  args: { id: { type: "positional", required: true, description: "The webhook's id" }, ...projectArg },
  async run({ args }) {
    const res = await cliClient(args).webhooks.rotateSecret(args.project, args.id);
    print(args, res, (r) => keyValues(r));
  },
});

const deliveries = leaf({
  name: "webhooks deliveries",
  description: "Recent webhook deliveries of a project, with their status and last error",
  args: {
    ...projectArg,
    webhook: { type: "string", description: "Only this webhook's deliveries" },
    status: { type: "string", description: "pending, delivered or failed" },
    limit: { type: "string", description: "At most this many (default 100)" },
  },
  async run({ args }) {
    const res = await cliClient(args).webhooks.deliveries(args.project, { webhook: args.webhook, status: args.status as never, limit: intFlag(args, "limit", { min: 1 }) });
    print(args, res, (d) =>
      d.deliveries.length ? table(d.deliveries, ["id", "status", "attempts", "last_status", "last_error", "updated_at", "url"]) : "No deliveries found.",
    );
  },
});

export const webhooks = group("webhooks", "Manage a project's alert webhooks", { add, list, remove, "rotate-secret": rotate, deliveries });
