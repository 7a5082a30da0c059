CREATE TABLE `data_generation` (
	`id` integer PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `milestones_enrollment_idx` ON `milestones` (`enrollment_id`,`stage`);