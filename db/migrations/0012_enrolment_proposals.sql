CREATE TABLE `enrolment_proposals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`candidate_id` integer NOT NULL,
	`stage` text NOT NULL,
	`enrolled_on` text NOT NULL,
	`mentor_id` integer NOT NULL,
	`reason` text NOT NULL,
	`record_json` text NOT NULL,
	`status` text NOT NULL,
	`proposed_by` integer NOT NULL,
	`proposed_at` text NOT NULL,
	`decided_by` integer,
	`decided_at` text,
	`decision_note` text,
	`enrollment_id` integer,
	FOREIGN KEY (`candidate_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`mentor_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`proposed_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`enrollment_id`) REFERENCES `enrollments`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "enrolment_proposals_status_check" CHECK("enrolment_proposals"."status" in ('pending', 'confirmed', 'cancelled'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `enrolment_proposals_one_pending_idx` ON `enrolment_proposals` (`candidate_id`) WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX `enrolment_proposals_status_idx` ON `enrolment_proposals` (`status`);--> statement-breakpoint
ALTER TABLE `enrollments` ADD `confirmed_by` integer REFERENCES people(id);