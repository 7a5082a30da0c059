ALTER TABLE `raters` ADD `person_id` integer REFERENCES people(id);--> statement-breakpoint
ALTER TABLE `raters` ADD `linked_at` text;--> statement-breakpoint
CREATE INDEX `raters_person_idx` ON `raters` (`person_id`);