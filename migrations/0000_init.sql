-- metric_names and metric_rollups are WITHOUT ROWID (edited after drizzle-kit generate): their
-- reads are primary-key range scans, which a clustered key answers without a second lookup.
CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`hash` text NOT NULL,
	`prefix` text NOT NULL,
	`scope` text NOT NULL,
	`projects` text,
	`created_at` text NOT NULL,
	`last_used_at` text,
	`revoked_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash` ON `api_keys` (`hash`);--> statement-breakpoint
CREATE TABLE `metric_logs` (
	`id` integer PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`log_id` text NOT NULL,
	`step` integer NOT NULL,
	`ts` text NOT NULL,
	`metrics` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `metric_logs_run_log_id` ON `metric_logs` (`run_id`,`log_id`);--> statement-breakpoint
CREATE INDEX `metric_logs_run_step` ON `metric_logs` (`run_id`,`step`);--> statement-breakpoint
CREATE TABLE `metric_names` (
	`run_id` text NOT NULL,
	`name` text NOT NULL,
	`numeric` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`run_id`, `name`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `metric_rollups` (
	`run_id` text NOT NULL,
	`name` text NOT NULL,
	`width` integer NOT NULL,
	`bucket` integer NOT NULL,
	`first_step` integer NOT NULL,
	`first` real NOT NULL,
	`first_us` integer NOT NULL,
	`last_step` integer NOT NULL,
	`last` real NOT NULL,
	`last_us` integer NOT NULL,
	`min_step` integer NOT NULL,
	`min` real NOT NULL,
	`min_us` integer NOT NULL,
	`max_step` integer NOT NULL,
	`max` real NOT NULL,
	`max_us` integer NOT NULL,
	PRIMARY KEY(`run_id`, `name`, `width`, `bucket`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `projects` (
	`name` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`settings` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE TABLE `runs` (
	`id` text PRIMARY KEY NOT NULL,
	`project` text NOT NULL,
	`name` text NOT NULL,
	`group_name` text,
	`config` text DEFAULT '{}' NOT NULL,
	`status` text DEFAULT 'running' NOT NULL,
	`created_at` text NOT NULL,
	`created_us` integer NOT NULL,
	`updated_at` text NOT NULL,
	`finished_at` text,
	`last_log_at` text,
	`last_log_us` integer,
	`last_step` integer,
	`log_count` integer DEFAULT 0 NOT NULL,
	`webhook_url` text,
	`webhook_min_level` text,
	FOREIGN KEY (`project`) REFERENCES `projects`(`name`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `runs_project_created` ON `runs` (`project`,`created_us`);--> statement-breakpoint
CREATE INDEX `runs_project_name_created` ON `runs` (`project`,`name`,`created_us`);--> statement-breakpoint
CREATE INDEX `runs_project_group` ON `runs` (`project`,`group_name`);--> statement-breakpoint
CREATE INDEX `runs_project_status` ON `runs` (`project`,`status`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`project` text NOT NULL,
	`webhook_id` text,
	`alert_id` text NOT NULL,
	`url` text NOT NULL,
	`kind` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_status` integer,
	`last_error` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`delivered_at` text
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_project_created` ON `webhook_deliveries` (`project`,`created_at`);--> statement-breakpoint
CREATE TABLE `webhooks` (
	`id` text PRIMARY KEY NOT NULL,
	`project` text NOT NULL,
	`url` text NOT NULL,
	`kind` text NOT NULL,
	`min_level` text DEFAULT 'info' NOT NULL,
	`run_filter` text,
	`secret` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`disabled_reason` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`project`) REFERENCES `projects`(`name`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webhooks_project` ON `webhooks` (`project`);