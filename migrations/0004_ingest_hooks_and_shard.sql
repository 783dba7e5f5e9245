-- Why a project's Durable Object must see a stored log batch (a bit mask, src/ingest/hooks.ts:
-- 1 alert rules, 2 run waiters), written by the object under a version that only grows; the
-- ingest transaction reads it, so a batch nothing can fire on costs no call to the object.
ALTER TABLE `projects` ADD `ingest_hooks` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `projects` ADD `ingest_hooks_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Projects from before may have rules: their objects are called until they publish their mask.
UPDATE `projects` SET `ingest_hooks` = 1;--> statement-breakpoint
-- The shard directory (docs/architecture.md, "Beyond one database"): the D1 binding that holds
-- the project's metric logs. Every project is in the primary database until logs are sharded.
ALTER TABLE `projects` ADD `shard` text DEFAULT 'DB' NOT NULL;
