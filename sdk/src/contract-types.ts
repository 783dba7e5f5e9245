// The contract's types, as the package exports them. Each contract name is both a zod schema and
// its type, and re-exporting such a name (even with `export type`) would declare the schema in
// dist/index.d.ts as well, which the bundle does not export; a type alias carries the type only.
// sdk/build.mjs refuses a declaration file that declares a value the bundle lacks.
import type {
  Alert as ContractAlert,
  AlertPage as ContractAlertPage,
  ApiKeyInfo as ContractApiKeyInfo,
  AuditEntry as ContractAuditEntry,
  AuditPage as ContractAuditPage,
  CreatedKey as ContractCreatedKey,
  CreatedWebhook as ContractCreatedWebhook,
  Diagnosis as ContractDiagnosis,
  MetricDiagnosis as ContractMetricDiagnosis,
  MediaItem as ContractMediaItem,
  MediaList as ContractMediaList,
  MediaRef as ContractMediaRef,
  MetricPoint as ContractMetricPoint,
  MetricValues as ContractMetricValues,
  Note as ContractNote,
  ProjectInfo as ContractProjectInfo,
  ProjectSummary as ContractProjectSummary,
  Rule as ContractRule,
  Run as ContractRun,
  RunStatus as ContractRunStatus,
  RunSummary as ContractRunSummary,
  RunWaitResult as ContractRunWaitResult,
  Snapshot as ContractSnapshot,
  WaitResult as ContractWaitResult,
  Webhook as ContractWebhook,
  WebhookDelivery as ContractWebhookDelivery,
} from "../../src/contract";

export type Alert = ContractAlert;
export type AlertPage = ContractAlertPage;
export type ApiKeyInfo = ContractApiKeyInfo;
export type AuditEntry = ContractAuditEntry;
export type AuditPage = ContractAuditPage;
export type CreatedKey = ContractCreatedKey;
export type CreatedWebhook = ContractCreatedWebhook;
export type Diagnosis = ContractDiagnosis;
export type MetricDiagnosis = ContractMetricDiagnosis;
export type MediaItem = ContractMediaItem;
export type MediaList = ContractMediaList;
export type MediaRef = ContractMediaRef;
export type MetricPoint = ContractMetricPoint;
export type MetricValues = ContractMetricValues;
export type Note = ContractNote;
export type ProjectInfo = ContractProjectInfo;
export type ProjectSummary = ContractProjectSummary;
export type Rule = ContractRule;
export type RunRecord = ContractRun;
export type RunStatus = ContractRunStatus;
export type RunSummary = ContractRunSummary;
export type RunWaitResult = ContractRunWaitResult;
export type Snapshot = ContractSnapshot;
export type WaitResult = ContractWaitResult;
export type Webhook = ContractWebhook;
export type WebhookDelivery = ContractWebhookDelivery;
