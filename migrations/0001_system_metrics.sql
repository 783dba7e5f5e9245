-- Trackio system metrics (bulk_log_system): timestamped rows without a step.
CREATE TABLE `system_metrics` (
	`id` integer PRIMARY KEY NOT NULL,
	`project` text NOT NULL,
	`run_id` text NOT NULL,
	`log_id` text,
	`ts` text NOT NULL,
	`ts_us` integer NOT NULL,
	`metrics` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `system_metrics_run_log_id` ON `system_metrics` (`run_id`,`log_id`);--> statement-breakpoint
CREATE INDEX `system_metrics_run_ts` ON `system_metrics` (`run_id`,`ts_us`);--> statement-breakpoint
CREATE INDEX `system_metrics_project` ON `system_metrics` (`project`);
