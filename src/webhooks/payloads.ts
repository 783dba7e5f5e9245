import type { AlertLevel, WebhookKind } from "../contract";
import type { JobAlert } from "./job";
import { pyJsonDumps } from "./py-json";

// Payloads exactly as Trackio's client builds them (trackio/alerts.py `_build_slack_payload`,
// `_build_discord_payload`, `_build_generic_payload`; reference/trackio.md §3), serialised as its
// `json.dumps` does. Two deliberate differences, both for inputs Trackio never produces or that its
// targets would reject: an alert without a run leaves out "  •  Run: …" (Trackio always has a run),
// and text beyond Slack's and Discord's field limits is cut with "…" instead of the target answering
// 400 and the alert being lost.

const EMOJI: Record<AlertLevel, string> = { info: "\u2139\ufe0f", warn: "\u26a0\ufe0f", error: "\u{1f6a8}" };
const DISCORD_COLOR: Record<AlertLevel, number> = { info: 3447003, warn: 16776960, error: 15158332 };

// Slack: a section's text is at most 3000 characters. Discord: embed title 256, description 4096, footer 2048.
const SLACK_TEXT_MAX = 3000;
const DISCORD_TITLE_MAX = 256;
const DISCORD_DESCRIPTION_MAX = 4096;
const DISCORD_FOOTER_MAX = 2048;

function cut(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join("")}…`;
}

function contextLine(project: string, a: JobAlert): string {
  const run = a.run === null ? "" : `  •  Run: ${a.run}`;
  const step = a.step === null ? "" : `  •  Step ${a.step}`;
  return `Project: ${project}${run}${step}`;
}

export function slackPayload(project: string, a: JobAlert) {
  const blocks: unknown[] = [
    { type: "section", text: { type: "mrkdwn", text: cut(`${EMOJI[a.level]} *[${a.level.toUpperCase()}] ${a.title}*`, SLACK_TEXT_MAX) } },
  ];
  if (a.text) blocks.push({ type: "section", text: { type: "mrkdwn", text: cut(a.text, SLACK_TEXT_MAX) } });
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: cut(contextLine(project, a), SLACK_TEXT_MAX) }] });
  return { blocks };
}

export function discordPayload(project: string, a: JobAlert) {
  const embed: Record<string, unknown> = {
    title: cut(`${EMOJI[a.level]} [${a.level.toUpperCase()}] ${a.title}`, DISCORD_TITLE_MAX),
    color: DISCORD_COLOR[a.level],
    footer: { text: cut(contextLine(project, a), DISCORD_FOOTER_MAX) },
  };
  if (a.text) embed.description = cut(a.text, DISCORD_DESCRIPTION_MAX);
  return { embeds: [embed] };
}

export function genericPayload(project: string, a: JobAlert) {
  return { level: a.level, title: a.title, text: a.text, project, run: a.run, step: a.step, timestamp: a.timestamp };
}

/** The exact request body for a target. */
export function payloadBody(kind: WebhookKind, project: string, alert: JobAlert): string {
  const payload = kind === "slack" ? slackPayload(project, alert) : kind === "discord" ? discordPayload(project, alert) : genericPayload(project, alert);
  return pyJsonDumps(payload);
}
