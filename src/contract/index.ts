/**
 * The contract: zod schemas and their types, shared by the Worker, the SDK, the CLI and MCP.
 * Imports only "zod", so the SDK can bundle it for any runtime.
 * @module
 */
export * from "./common";
export * from "./limits";
export * from "./errors";
export * from "./metric-values";
export * from "./runs";
export * from "./logs";
export * from "./metrics";
export * from "./projects";
export * from "./keys";
export * from "./alerts";
export * from "./webhooks";
export * from "./rules";
export * from "./time";
export * from "./notes";
export * from "./run-wait";
export * from "./diagnosis";
export * from "./audit";
export * from "./media";
export * from "./compare";
