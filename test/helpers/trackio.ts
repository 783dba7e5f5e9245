import { exports } from "cloudflare:workers";
import cliReads from "../fixtures/trackio-wire/cli-reads.jsonl?raw";
import errors from "../fixtures/trackio-wire/errors.jsonl?raw";
import mediaWire from "../fixtures/trackio-wire/media.jsonl?raw";
import sdkLogging from "../fixtures/trackio-wire/sdk-logging.jsonl?raw";
import sdkVariants from "../fixtures/trackio-wire/sdk-variants.jsonl?raw";
import seedExample from "../fixtures/trackio-wire/seed-example.jsonl?raw";
import { readResponse, type ReadResponse } from "./read-response";

/** One recorded exchange of the real trackio client/CLI with the real server (test/fixtures/trackio-wire/README.md). */
export type HttpRecord = {
  seq: number;
  group: string;
  scenario: string;
  kind: "http";
  request: { method: string; path: string; query: Record<string, string>; headers: Record<string, string>; body?: unknown; body_text?: string };
  response: { status: number; headers: Record<string, string>; body?: unknown; body_text?: string };
};
export type ElidedRecord = { seq: number; group: string; scenario: string; kind: "elided"; count: number; seq_range: [number, number] };
type AnyRecord = HttpRecord | ElidedRecord | { seq: number; kind: "sdk" | "cli" };

const parse = (text: string) => text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as AnyRecord);

/** Every record of the five files, in capture order. */
export const WIRE: AnyRecord[] = [cliReads, errors, sdkLogging, sdkVariants, seedExample].flatMap(parse).sort((a, b) => a.seq - b.seq);
export const HTTP_RECORDS = WIRE.filter((r): r is HttpRecord => r.kind === "http");
export const ELIDED = WIRE.filter((r): r is ElidedRecord => r.kind === "elided");

export type TrackioResponse = ReadResponse;

/** Sends one request to the Worker in-process, as the trackio client would. */
export async function send(method: string, path: string, opts: { headers?: Record<string, string>; query?: Record<string, string>; body?: unknown; raw?: string } = {}): Promise<TrackioResponse> {
  const qs = new URLSearchParams(opts.query ?? {}).toString();
  const body = opts.raw ?? (opts.body === undefined || opts.body === null ? undefined : JSON.stringify(opts.body));
  const res = await exports.default.fetch(new Request(`http://tf.test${path}${qs ? `?${qs}` : ""}`, { method, headers: opts.headers, body }));
  return readResponse(res);
}

/** `POST /api/<name>` with the client's `{"args", "kwargs"}` envelope. */
export function call(name: string, kwargs: Record<string, unknown>, opts: { token?: string | null; args?: unknown[] } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (opts.token) headers["x-trackio-write-token"] = opts.token;
  return send("POST", `/api/${name}`, { headers, body: { args: opts.args ?? [], kwargs } });
}

/** The media recording (media.jsonl): its own capture, `seq` from 1, with multipart parts and binary answers. */
export type MediaRecord = HttpRecord & {
  request: HttpRecord["request"] & { multipart?: { name: string; filename: string; content_type: string; size: number; sha256: string }[] };
  response: HttpRecord["response"] & { body_binary?: { size: number; sha256: string } };
};
export const MEDIA_RECORDS = parse(mediaWire).filter((r): r is MediaRecord => r.kind === "http");
