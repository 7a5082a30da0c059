-- Sign-offs are never edited or deleted: a correction is a new, linked revocation entry.
CREATE TRIGGER `signoffs_no_update` BEFORE UPDATE ON `signoffs`
BEGIN
  SELECT RAISE(ABORT, 'signoffs are append-only: rows cannot be updated');
END;
--> statement-breakpoint
CREATE TRIGGER `signoffs_no_delete` BEFORE DELETE ON `signoffs`
BEGIN
  SELECT RAISE(ABORT, 'signoffs are append-only: rows cannot be deleted');
END;
