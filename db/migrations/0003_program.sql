CREATE TABLE `advancements` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`enrollment_id` integer NOT NULL,
	`from_stage` text NOT NULL,
	`to_stage` text NOT NULL,
	`status` text NOT NULL,
	`recommended_by` integer,
	`recommended_at` text,
	`recommendation_note` text,
	`decided_by` integer,
	`decided_at` text,
	`decision_note` text,
	`override` integer DEFAULT false NOT NULL,
	`override_reason` text,
	`gate_json` text,
	FOREIGN KEY (`enrollment_id`) REFERENCES `enrollments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recommended_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `advancements_enrollment_idx` ON `advancements` (`enrollment_id`,`id`);--> statement-breakpoint
CREATE INDEX `advancements_status_idx` ON `advancements` (`status`);--> statement-breakpoint
CREATE UNIQUE INDEX `advancements_one_pending_idx` ON `advancements` (`enrollment_id`) WHERE status = 'recommended';--> statement-breakpoint
CREATE TABLE `certificates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`candidate_id` integer NOT NULL,
	`enrollment_id` integer NOT NULL,
	`issued_on` text NOT NULL,
	`risk_tiers_json` text NOT NULL,
	`approver_id` integer NOT NULL,
	`framework_version` text NOT NULL,
	FOREIGN KEY (`candidate_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`enrollment_id`) REFERENCES `enrollments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`approver_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `enrollments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`candidate_id` integer NOT NULL,
	`status` text NOT NULL,
	`enrolled_on` text NOT NULL,
	`enrolled_by` integer,
	`start_stage` text NOT NULL,
	`start_reason` text,
	`ended_on` text,
	`end_reason` text,
	FOREIGN KEY (`candidate_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`enrolled_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "enrollments_status_check" CHECK("enrollments"."status" in ('active', 'paused', 'withdrawn', 'certified'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `enrollments_one_current_idx` ON `enrollments` (`candidate_id`) WHERE status in ('active', 'paused');--> statement-breakpoint
CREATE INDEX `enrollments_status_idx` ON `enrollments` (`status`);--> statement-breakpoint
CREATE TABLE `evidence_files` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`submission_id` integer NOT NULL,
	`file_name` text NOT NULL,
	`content_type` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`submission_id`) REFERENCES `milestone_submissions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `evidence_files_submission_idx` ON `evidence_files` (`submission_id`);--> statement-breakpoint
CREATE TABLE `milestone_submissions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`milestone_id` integer NOT NULL,
	`summary` text NOT NULL,
	`links_json` text NOT NULL,
	`plan_item_id` integer,
	`submitted_at` text NOT NULL,
	`submitted_by` integer NOT NULL,
	FOREIGN KEY (`milestone_id`) REFERENCES `milestones`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`submitted_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `milestone_submissions_milestone_idx` ON `milestone_submissions` (`milestone_id`,`id`);--> statement-breakpoint
CREATE TABLE `milestones` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`enrollment_id` integer NOT NULL,
	`candidate_id` integer NOT NULL,
	`stage` text NOT NULL,
	`template_id` text,
	`title` text NOT NULL,
	`description` text NOT NULL,
	`evidence` text NOT NULL,
	`sign_off` text NOT NULL,
	`required` integer NOT NULL,
	`status` text NOT NULL,
	`created_at` text NOT NULL,
	`created_by` integer,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`enrollment_id`) REFERENCES `enrollments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`candidate_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "milestones_status_check" CHECK("milestones"."status" in ('open', 'submitted', 'returned', 'awaiting-hr', 'signed-off'))
);
--> statement-breakpoint
CREATE INDEX `milestones_candidate_idx` ON `milestones` (`candidate_id`,`stage`);--> statement-breakpoint
CREATE INDEX `milestones_status_idx` ON `milestones` (`status`,`updated_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `milestones_template_unique` ON `milestones` (`enrollment_id`,`template_id`) WHERE template_id is not null;--> statement-breakpoint
CREATE TABLE `pauses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`enrollment_id` integer NOT NULL,
	`started_on` text NOT NULL,
	`ended_on` text,
	`reason` text NOT NULL,
	`created_by` integer,
	FOREIGN KEY (`enrollment_id`) REFERENCES `enrollments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `pauses_enrollment_idx` ON `pauses` (`enrollment_id`);--> statement-breakpoint
CREATE TABLE `plan_item_comments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`plan_item_id` integer NOT NULL,
	`author_id` integer NOT NULL,
	`body` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`plan_item_id`) REFERENCES `plan_items`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `plan_item_comments_item_idx` ON `plan_item_comments` (`plan_item_id`);--> statement-breakpoint
CREATE TABLE `signoffs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`milestone_id` integer NOT NULL,
	`submission_id` integer,
	`kind` text NOT NULL,
	`role` text NOT NULL,
	`by_id` integer NOT NULL,
	`at` text NOT NULL,
	`note` text,
	`revokes_id` integer,
	FOREIGN KEY (`milestone_id`) REFERENCES `milestones`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`submission_id`) REFERENCES `milestone_submissions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`by_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "signoffs_kind_check" CHECK("signoffs"."kind" in ('signed', 'returned', 'revoked'))
);
--> statement-breakpoint
CREATE INDEX `signoffs_milestone_idx` ON `signoffs` (`milestone_id`,`id`);--> statement-breakpoint
CREATE TABLE `stage_periods` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`enrollment_id` integer NOT NULL,
	`stage` text NOT NULL,
	`entered_on` text NOT NULL,
	`exited_on` text,
	`delegated_domain` text,
	`pod_name` text,
	`risk_tier` text,
	`certified_tiers_json` text,
	FOREIGN KEY (`enrollment_id`) REFERENCES `enrollments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `stage_periods_enrollment_idx` ON `stage_periods` (`enrollment_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `stage_periods_one_open_idx` ON `stage_periods` (`enrollment_id`) WHERE exited_on is null;--> statement-breakpoint
ALTER TABLE `plan_items` ADD `due_on` text;--> statement-breakpoint
ALTER TABLE `plan_items` ADD `milestone_id` integer REFERENCES milestones(id);--> statement-breakpoint
ALTER TABLE `plan_items` ADD `updated_at` text;