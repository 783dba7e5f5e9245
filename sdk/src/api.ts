import type { Alert, Diagnosis, MediaItem, MetricValues, Note, ProjectInfo, Run as RunRecord, RunStatus, RunSummary, RunWaitResult, WaitResult } from "../../src/contract";
import { Client, type ClientOptions } from "./client";
import type { AlertFilter, AlertWatch, WatchHandlers } from "./resources/alerts";
import type { MetricRange } from "./resources/metrics";
import type { RunFilters } from "./resources/runs";

/** A run as the reading API returns it, with shortcuts to its alerts and summary. */
export class ApiRun {
  readonly project: string;
  readonly id: string;
  readonly name: string;
  readonly group: string | null;
  readonly config: Record<string, unknown>;
  readonly status: RunStatus;
  readonly created_at: string;
  readonly last_step: number | null;
  readonly log_count: number;

  constructor(
    private readonly api: Api,
    record: RunRecord,
  ) {
    this.project = record.project;
    this.id = record.id;
    this.name = record.name;
    this.group = record.group;
    this.config = record.config;
    this.status = record.status;
    this.created_at = record.created_at;
    this.last_step = record.last_step;
    this.log_count = record.log_count;
  }

  /** Every alert of this run, newest first (or the newest `limit`). */
  alerts(filter: Omit<AlertFilter, "run"> & { limit?: number } = {}): Promise<Alert[]> {
    return this.api.alerts(this.project, { ...filter, run: this.id });
  }

  /** Metric names, alert counts and counters, fetched now. */
  summary(): Promise<RunSummary> {
    return this.api.client.runs.get(this.project, this.id);
  }

  metric(name: string, range: MetricRange = {}): Promise<MetricValues> {
    return this.api.metric(this.project, this.id, name, range);
  }

  /** A bounded diagnosis: per-metric last/best/trend, train/val gaps, flags, alerts and notes. */
  diagnosis(): Promise<Diagnosis> {
    return this.api.client.runs.diagnosis(this.project, this.id);
  }

  /** Asks the run's script to stop (it sees `shouldStop()` on its next log batch). */
  stop(reason?: string): Promise<RunRecord> {
    return this.api.client.runs.stop(this.project, this.id, { reason });
  }

  addNote(text: string): Promise<Note> {
    return this.api.client.notes.add(this.project, this.id, text);
  }

  /** Blocks until `until` holds or `timeout` seconds pass; see `Api.waitForRun`. */
  wait(until: string, timeout: number): Promise<RunWaitResult> {
    return this.api.waitForRun(this.project, this.id, { until, timeout });
  }

  toString() {
    return `<Run ${this.name} (${this.id.slice(0, 8)}) in project ${this.project}>`;
  }
}

/**
 * The reading API (Trackio's `trackio.Api`, remote): projects, runs, metrics and alerts, plus
 * blocking `waitForAlert` and live `watchAlerts`. `client` exposes every REST resource.
 */
export class Api {
  readonly client: Client;

  constructor(opts: ClientOptions = {}) {
    this.client = new Client(opts);
  }

  async projects(): Promise<ProjectInfo[]> {
    return (await this.client.projects.list()).projects;
  }

  /** Runs of a project, oldest first, optionally filtered by group, status, name or `key=value` config. */
  async runs(project: string, filters: RunFilters = {}): Promise<ApiRun[]> {
    const { runs } = await this.client.runs.list(project, filters);
    return runs.map((r) => new ApiRun(this, r));
  }

  /** One run by id or name (the newest with that name). */
  async run(project: string, run: string): Promise<ApiRun> {
    return new ApiRun(this, await this.client.runs.get(project, run));
  }

  metric(project: string, run: string, name: string, range: MetricRange = {}): Promise<MetricValues> {
    return this.client.metrics.values(project, run, name, range);
  }

  /** A run's stored media files (optionally of one metric and/or step), each with its reference. */
  async media(project: string, run: string, f: { name?: string; step?: number } = {}): Promise<MediaItem[]> {
    return (await this.client.media.list(project, run, f)).media;
  }

  /** The bytes of a logged media value (`{file_path}` of an image, audio or video reference). */
  mediaFile(project: string, ref: { file_path: string }): Promise<{ bytes: Uint8Array; contentType: string }> {
    return this.client.media.download(project, ref.file_path);
  }

  /**
   * Every matching alert, newest first, however many pages that takes (or the newest `limit`).
   * For one page with `next_cursor` and `has_more`, use `client.alerts.list`.
   */
  alerts(project: string, filter: AlertFilter & { limit?: number } = {}): Promise<Alert[]> {
    return this.client.alerts.all(project, filter);
  }

  /** Resolves with the first matching alerts after `cursor`/`since`, or `timed_out` after `timeout` seconds. */
  waitForAlert(project: string, filter: AlertFilter & { timeout: number }, opts: { signal?: AbortSignal } = {}): Promise<WaitResult> {
    return this.client.alerts.wait(project, filter, opts);
  }

  /**
   * Blocks until the run's condition holds: `ended` (finished, failed, stopped, stale or ended),
   * `step>=N`, or `<metric><op><value>` with op one of `<`, `<=`, `>`, `>=` (`val/loss<0.3`).
   * Resolves `{matched, timed_out, status, step, value?}`; never busy-polls (ingest wakes it).
   */
  waitForRun(project: string, run: string, opts: { until: string; timeout: number; signal?: AbortSignal }): Promise<RunWaitResult> {
    return this.client.runs.wait(project, run, opts);
  }

  /** A run's bounded diagnosis (a few KB whatever its length). */
  diagnosis(project: string, run: string): Promise<Diagnosis> {
    return this.client.runs.diagnosis(project, run);
  }

  /** Calls `onAlert` for each matching alert as it is raised; reconnects and resumes by itself. */
  watchAlerts(project: string, filter: AlertFilter, onAlert: ((alert: Alert) => void) | WatchHandlers): AlertWatch {
    return this.client.alerts.watch(project, filter, typeof onAlert === "function" ? { onAlert } : onAlert);
  }
}
