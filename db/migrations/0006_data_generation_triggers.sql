-- Raise data_generation on every change to the tables the pipeline and gap views read (decision 0013).
-- Row triggers: SQLite has no statement triggers; the extra update is one row in a one-row table.
INSERT INTO `data_generation` (`id`, `value`) VALUES (1, 0);
--> statement-breakpoint
CREATE TRIGGER `people_insert_generation` AFTER INSERT ON `people` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `people_update_generation` AFTER UPDATE ON `people` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `people_delete_generation` AFTER DELETE ON `people` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `role_assignments_insert_generation` AFTER INSERT ON `role_assignments` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `role_assignments_update_generation` AFTER UPDATE ON `role_assignments` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `role_assignments_delete_generation` AFTER DELETE ON `role_assignments` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `candidate_profiles_insert_generation` AFTER INSERT ON `candidate_profiles` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `candidate_profiles_update_generation` AFTER UPDATE ON `candidate_profiles` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `candidate_profiles_delete_generation` AFTER DELETE ON `candidate_profiles` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `enrollments_insert_generation` AFTER INSERT ON `enrollments` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `enrollments_update_generation` AFTER UPDATE ON `enrollments` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `enrollments_delete_generation` AFTER DELETE ON `enrollments` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `stage_periods_insert_generation` AFTER INSERT ON `stage_periods` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `stage_periods_update_generation` AFTER UPDATE ON `stage_periods` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `stage_periods_delete_generation` AFTER DELETE ON `stage_periods` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `pauses_insert_generation` AFTER INSERT ON `pauses` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `pauses_update_generation` AFTER UPDATE ON `pauses` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `pauses_delete_generation` AFTER DELETE ON `pauses` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `milestones_insert_generation` AFTER INSERT ON `milestones` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `milestones_update_generation` AFTER UPDATE ON `milestones` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `milestones_delete_generation` AFTER DELETE ON `milestones` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `advancements_insert_generation` AFTER INSERT ON `advancements` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `advancements_update_generation` AFTER UPDATE ON `advancements` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `advancements_delete_generation` AFTER DELETE ON `advancements` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `certificates_insert_generation` AFTER INSERT ON `certificates` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `certificates_update_generation` AFTER UPDATE ON `certificates` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `certificates_delete_generation` AFTER DELETE ON `certificates` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `assessment_cycles_insert_generation` AFTER INSERT ON `assessment_cycles` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `assessment_cycles_update_generation` AFTER UPDATE ON `assessment_cycles` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `assessment_cycles_delete_generation` AFTER DELETE ON `assessment_cycles` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `cycle_results_insert_generation` AFTER INSERT ON `cycle_results` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `cycle_results_update_generation` AFTER UPDATE ON `cycle_results` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `cycle_results_delete_generation` AFTER DELETE ON `cycle_results` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `plan_items_insert_generation` AFTER INSERT ON `plan_items` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `plan_items_update_generation` AFTER UPDATE ON `plan_items` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `plan_items_delete_generation` AFTER DELETE ON `plan_items` BEGIN UPDATE `data_generation` SET `value` = `value` + 1 WHERE `id` = 1; END;
