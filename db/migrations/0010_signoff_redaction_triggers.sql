-- A recorded redaction may replace a sign-off's note with "[erased]", and nothing else (decision
-- 0014): every other column stays, and signoff_redactions must name the row first.
DROP TRIGGER `signoffs_no_update`;
--> statement-breakpoint
CREATE TRIGGER `signoffs_no_update` BEFORE UPDATE ON `signoffs`
WHEN NOT (
  EXISTS (SELECT 1 FROM `signoff_redactions` WHERE `signoff_id` = OLD.`id`)
  AND NEW.`id` = OLD.`id` AND NEW.`milestone_id` = OLD.`milestone_id` AND NEW.`submission_id` IS OLD.`submission_id`
  AND NEW.`kind` = OLD.`kind` AND NEW.`role` = OLD.`role` AND NEW.`by_id` = OLD.`by_id` AND NEW.`at` = OLD.`at`
  AND NEW.`revokes_id` IS OLD.`revokes_id` AND NEW.`note` = '[erased]'
)
BEGIN
  SELECT RAISE(ABORT, 'signoffs are append-only: only a recorded redaction may erase a note');
END;
--> statement-breakpoint
CREATE TRIGGER `signoff_redactions_no_update` BEFORE UPDATE ON `signoff_redactions`
BEGIN
  SELECT RAISE(ABORT, 'signoff_redactions is append-only: rows cannot be updated');
END;
--> statement-breakpoint
CREATE TRIGGER `signoff_redactions_no_delete` BEFORE DELETE ON `signoff_redactions`
BEGIN
  SELECT RAISE(ABORT, 'signoff_redactions is append-only: rows cannot be deleted');
END;
