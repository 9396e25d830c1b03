-- A work whose imported files give no date has none: "date unknown" on its pages, null in the
-- API, and after every dated work in the date sorts.
ALTER TABLE works ALTER COLUMN published DROP NOT NULL;
ALTER TABLE works ALTER COLUMN updated DROP NOT NULL;
ALTER TABLE chapters ALTER COLUMN published DROP NOT NULL;
DROP INDEX works_by_updated;
CREATE INDEX works_by_updated ON works(updated DESC NULLS LAST, id DESC);
