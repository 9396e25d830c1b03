-- Gifts and series kept by their creators (AO3's "Gift this work to" and "Add to series").

-- A work's gifts, in the order the creator typed them: to a pseud (`pseud_id`, its name kept
-- in `name` as it was), or to a name without an account (`pseud_id` NULL). A recipient may
-- refuse a gift: the row stays, `refused`, so the work no longer shows it and the creator
-- cannot give it to them again.
CREATE TABLE gifts (
    id         INTEGER PRIMARY KEY,
    work_id    INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    pseud_id   INTEGER REFERENCES pseuds(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL,
    position   INTEGER NOT NULL,
    refused    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL,
    UNIQUE (work_id, name_key)
);
CREATE INDEX gifts_by_pseud ON gifts(pseud_id, work_id);

-- Who may edit a series: whoever made it, and whoever added a work to it. (Series from a
-- legacy import have none; the creators of their works may edit them.)
CREATE TABLE series_creators (
    series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (series_id, user_id)
);
CREATE INDEX series_creators_by_user ON series_creators(user_id);

-- A series' notes, next to its summary (sanitized HTML).
ALTER TABLE series ADD COLUMN notes TEXT;
