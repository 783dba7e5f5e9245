-- The agent's control plane: stop requests on runs, non-finite counts per metric, notes, the audit log.
ALTER TABLE `runs` ADD `stop_requested_at` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `stop_reason` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `stop_requested_by` text;--> statement-breakpoint
ALTER TABLE `metric_names` ADD `non_finite` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE TABLE `notes` (
	`id` integer PRIMARY KEY NOT NULL,
	`project` text NOT NULL,
	`run_id` text,
	`text` text NOT NULL,
	`author` text NOT NULL,
	`created_at` text NOT NULL,
	`created_us` integer NOT NULL,
	FOREIGN KEY (`project`) REFERENCES `projects`(`name`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `notes_project_run` ON `notes` (`project`,`run_id`,`id`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY NOT NULL,
	`project` text,
	`key_id` text,
	`key_name` text NOT NULL,
	`action` text NOT NULL,
	`target` text,
	`detail` text,
	`at` text NOT NULL,
	`at_us` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_at` ON `audit_log` (`at_us`);--> statement-breakpoint
CREATE INDEX `audit_log_project_at` ON `audit_log` (`project`,`at_us`);
