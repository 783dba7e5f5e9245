export type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; json: any }>;
export type SeededRun = { id: string; name: string; [k: string]: unknown };
export type RunSpec = { name: string; group?: string; config: Record<string, unknown>; finish?: "finished" | "failed" };

export function restClient(baseUrl: string, token: string): Call;
export function createKey(baseUrl: string, adminToken: string, scope: "read" | "write" | "admin", projects?: string[]): Promise<string>;
export function createRun(call: Call, project: string, body: Record<string, unknown>): Promise<SeededRun>;
export function logBatch(call: Call, project: string, runId: string, logs: unknown[]): Promise<unknown>;
export function seedSweep(call: Call, project: string, opts?: { steps?: number; runs?: RunSpec[] }): Promise<SeededRun[]>;
export function seedLongRun(call: Call, project: string, opts?: { points?: number; batch?: number; metric?: string; concurrency?: number }): Promise<SeededRun>;
export function postAlert(call: Call, project: string, alert: Record<string, unknown>): Promise<{ alerts: { cursor: number; title: string }[] }>;
