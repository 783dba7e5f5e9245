-- Media files live in R2 (binding MEDIA); D1 keeps only references to them.
CREATE TABLE `media` (
	`id` integer PRIMARY KEY NOT NULL,
	`project` text NOT NULL,
	`run_id` text NOT NULL,
	`step` integer NOT NULL,
	`name` text,
	`file_path` text NOT NULL,
	`r2_key` text NOT NULL,
	`kind` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`caption` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `media_project_file_path` ON `media` (`project`,`file_path`);--> statement-breakpoint
CREATE INDEX `media_run_name_step` ON `media` (`run_id`,`name`,`step`);--> statement-breakpoint
CREATE TABLE `media_staged` (
	`id` text PRIMARY KEY NOT NULL,
	`key_id` text,
	`r2_key` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`created_us` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `media_staged_created` ON `media_staged` (`created_us`);--> statement-breakpoint
ALTER TABLE `runs` ADD `origin` text DEFAULT 'api' NOT NULL;
