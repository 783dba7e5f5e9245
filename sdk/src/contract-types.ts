// The contract's types, as the package exports them. Each contract name is both a zod schema and
// its type, and re-exporting such a name (even with `export type`) would declare the schema in
// dist/index.d.ts as well, which the bundle does not export; a type alias carries the type only.
// sdk/build.mjs refuses a declaration file that declares a value the bundle lacks.
import type {
  Alert as ContractAlert,
  AlertPage as ContractAlertPage,
  ApiKeyInfo as ContractApiKeyInfo,
  CreatedKey as ContractCreatedKey,
  CreatedWebhook as ContractCreatedWebhook,
  MediaItem as ContractMediaItem,
  MediaList as ContractMediaList,
  MediaRef as ContractMediaRef,
  MetricPoint as ContractMetricPoint,
  MetricValues as ContractMetricValues,
  ProjectInfo as ContractProjectInfo,
  ProjectSummary as ContractProjectSummary,
  Rule as ContractRule,
  Run as ContractRun,
  RunStatus as ContractRunStatus,
  RunSummary as ContractRunSummary,
  Snapshot as ContractSnapshot,
  WaitResult as ContractWaitResult,
  Webhook as ContractWebhook,
  WebhookDelivery as ContractWebhookDelivery,
} from "../../src/contract";

export type Alert = ContractAlert;
export type AlertPage = ContractAlertPage;
export type ApiKeyInfo = ContractApiKeyInfo;
export type CreatedKey = ContractCreatedKey;
export type CreatedWebhook = ContractCreatedWebhook;
export type MediaItem = ContractMediaItem;
export type MediaList = ContractMediaList;
export type MediaRef = ContractMediaRef;
export type MetricPoint = ContractMetricPoint;
export type MetricValues = ContractMetricValues;
export type ProjectInfo = ContractProjectInfo;
export type ProjectSummary = ContractProjectSummary;
export type Rule = ContractRule;
export type RunRecord = ContractRun;
export type RunStatus = ContractRunStatus;
export type RunSummary = ContractRunSummary;
export type Snapshot = ContractSnapshot;
export type WaitResult = ContractWaitResult;
export type Webhook = ContractWebhook;
export type WebhookDelivery = ContractWebhookDelivery;
