CREATE TABLE `assessment_cycles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`candidate_id` integer NOT NULL,
	`framework_version` text NOT NULL,
	`stage` text NOT NULL,
	`state` text NOT NULL,
	`due_on` text NOT NULL,
	`opened_by` integer,
	`opened_at` text NOT NULL,
	`invitations_sent_at` text,
	`closed_at` text,
	`closed_by` integer,
	`cancelled_at` text,
	`cancel_reason` text,
	`last_reminder_at` text,
	`report_json` text,
	FOREIGN KEY (`candidate_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`opened_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`closed_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "assessment_cycles_state_check" CHECK("assessment_cycles"."state" in ('nominating', 'collecting', 'closed', 'cancelled'))
);
--> statement-breakpoint
CREATE INDEX `assessment_cycles_candidate_idx` ON `assessment_cycles` (`candidate_id`,`id`);--> statement-breakpoint
CREATE INDEX `assessment_cycles_state_idx` ON `assessment_cycles` (`state`,`due_on`);--> statement-breakpoint
CREATE UNIQUE INDEX `assessment_cycles_one_open_idx` ON `assessment_cycles` (`candidate_id`) WHERE state in ('nominating', 'collecting');--> statement-breakpoint
CREATE TABLE `cycle_results` (
	`cycle_id` integer NOT NULL,
	`capability_id` text NOT NULL,
	`self` real,
	`others_mean` real,
	`others_n` integer NOT NULL,
	`manager_mean` real,
	`peer_mean` real,
	`direct_report_mean` real,
	`stakeholder_mean` real,
	`target` real,
	`gap` real,
	PRIMARY KEY(`cycle_id`, `capability_id`),
	FOREIGN KEY (`cycle_id`) REFERENCES `assessment_cycles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`kind` text NOT NULL,
	`to_name` text NOT NULL,
	`to_email` text NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`cycle_id` integer,
	`rater_id` integer,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`sent_at` text,
	FOREIGN KEY (`cycle_id`) REFERENCES `assessment_cycles`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`rater_id`) REFERENCES `raters`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `outbox_status_idx` ON `outbox` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `outbox_cycle_idx` ON `outbox` (`cycle_id`);--> statement-breakpoint
CREATE TABLE `rate_limit_hits` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `rate_limit_hits_key_idx` ON `rate_limit_hits` (`key`,`at`);--> statement-breakpoint
CREATE TABLE `rater_sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`rater_id` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`rater_id`) REFERENCES `raters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `rater_sessions_rater_idx` ON `rater_sessions` (`rater_id`);--> statement-breakpoint
CREATE TABLE `raters` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`cycle_id` integer NOT NULL,
	`name` text NOT NULL,
	`email` text NOT NULL,
	`relationship` text NOT NULL,
	`status` text NOT NULL,
	`nominated_at` text NOT NULL,
	`decided_by` integer,
	`decided_at` text,
	`token_hash` text,
	`invited_at` text,
	`revoked_at` text,
	`answers_json` text,
	`comments_json` text,
	`draft_saved_at` text,
	`submitted_at` text,
	FOREIGN KEY (`cycle_id`) REFERENCES `assessment_cycles`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`decided_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "raters_relationship_check" CHECK("raters"."relationship" in ('manager', 'peer', 'direct_report', 'stakeholder')),
	CONSTRAINT "raters_status_check" CHECK("raters"."status" in ('proposed', 'approved', 'rejected'))
);
--> statement-breakpoint
CREATE INDEX `raters_cycle_idx` ON `raters` (`cycle_id`,`relationship`);--> statement-breakpoint
CREATE UNIQUE INDEX `raters_cycle_email_unique` ON `raters` (`cycle_id`,lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX `raters_token_unique` ON `raters` (`token_hash`);--> statement-breakpoint
CREATE TABLE `self_assessments` (
	`cycle_id` integer PRIMARY KEY NOT NULL,
	`answers_json` text NOT NULL,
	`comments_json` text NOT NULL,
	`updated_at` text NOT NULL,
	`submitted_at` text,
	FOREIGN KEY (`cycle_id`) REFERENCES `assessment_cycles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `plan_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`candidate_id` integer NOT NULL,
	`capability_id` text NOT NULL,
	`source` text NOT NULL,
	`cycle_id` integer,
	`action` text NOT NULL,
	`status` text NOT NULL,
	`created_at` text NOT NULL,
	`created_by` integer,
	FOREIGN KEY (`candidate_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`cycle_id`) REFERENCES `assessment_cycles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "plan_items_source_check" CHECK("plan_items"."source" in ('assessment', 'background', 'own')),
	CONSTRAINT "plan_items_status_check" CHECK("plan_items"."status" in ('open', 'done', 'dropped'))
);
--> statement-breakpoint
CREATE INDEX `plan_items_candidate_idx` ON `plan_items` (`candidate_id`,`status`);--> statement-breakpoint
CREATE UNIQUE INDEX `plan_items_cycle_capability_unique` ON `plan_items` (`candidate_id`,`cycle_id`,`capability_id`) WHERE cycle_id is not null;