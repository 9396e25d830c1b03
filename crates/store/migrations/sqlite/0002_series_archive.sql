-- Series met in a legacy import belong to the archive they came from and are found again by
-- title (case-insensitively, through title_key). NULL for series made on Quire itself.
ALTER TABLE series ADD COLUMN archive TEXT;
ALTER TABLE series ADD COLUMN title_key TEXT;
CREATE INDEX series_by_archive_title ON series(archive, title_key);
