-- A recorded redaction may blank an audit row's payload, and nothing else (decision 0014):
-- the update is refused unless audit_redactions names the row, every other column is unchanged,
-- and before/after become NULL. The chain keeps verifying from the stored content_hash.
DROP TRIGGER `audit_log_no_update`;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log`
WHEN NOT (
  EXISTS (SELECT 1 FROM `audit_redactions` WHERE `audit_id` = OLD.`id`)
  AND NEW.`id` = OLD.`id` AND NEW.`at` = OLD.`at` AND NEW.`actor_id` IS OLD.`actor_id`
  AND NEW.`action` = OLD.`action` AND NEW.`entity_type` = OLD.`entity_type` AND NEW.`entity_id` = OLD.`entity_id`
  AND NEW.`content_hash` = OLD.`content_hash` AND NEW.`prev_hash` = OLD.`prev_hash` AND NEW.`hash` = OLD.`hash`
  AND NEW.`before` IS NULL AND NEW.`after` IS NULL
)
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: only a recorded redaction may blank a payload');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_redactions_no_update` BEFORE UPDATE ON `audit_redactions`
BEGIN
  SELECT RAISE(ABORT, 'audit_redactions is append-only: rows cannot be updated');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_redactions_no_delete` BEFORE DELETE ON `audit_redactions`
BEGIN
  SELECT RAISE(ABORT, 'audit_redactions is append-only: rows cannot be deleted');
END;
