-- Bookmarks, as AO3 keeps them: one per reader per work, with the reader's notes (sanitized
-- HTML), their own tags (comma-free names, kept in the order given, joined by commas), and
-- whether it is private or a recommendation. works.bookmarks counts the public ones.
CREATE TABLE bookmarks (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    work_id    INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    notes      TEXT,
    tags       TEXT NOT NULL,
    private    BOOLEAN NOT NULL,
    rec        BOOLEAN NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (user_id, work_id)
);
CREATE INDEX bookmarks_of_work ON bookmarks(work_id, id);
