-- Quire's archive schema for SQLite. Names and shapes match migrations/postgres.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    email         TEXT,
    password_hash TEXT,
    is_admin      BOOLEAN NOT NULL DEFAULT FALSE,
    claimed       BOOLEAN NOT NULL DEFAULT FALSE,
    -- The archive that holds an unclaimed imported creator; NULL for people who signed up.
    archive       TEXT,
    created_at    TEXT NOT NULL
);

CREATE TABLE pseuds (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL,
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (user_id, name_key)
);
CREATE INDEX pseuds_by_name_key ON pseuds(name_key);

CREATE TABLE works (
    id                INTEGER PRIMARY KEY,
    title             TEXT NOT NULL,
    rating            TEXT NOT NULL,
    language          TEXT NOT NULL,
    summary           TEXT,
    notes             TEXT,
    end_notes         TEXT,
    word_count        INTEGER NOT NULL,
    chapter_count     INTEGER NOT NULL,
    expected_chapters INTEGER,
    complete          BOOLEAN NOT NULL,
    published         TEXT NOT NULL,
    updated           TEXT NOT NULL,
    posted            BOOLEAN NOT NULL,
    restricted        BOOLEAN NOT NULL,
    hidden_by_admin   BOOLEAN NOT NULL DEFAULT FALSE,
    hits              INTEGER NOT NULL DEFAULT 0,
    kudos             INTEGER NOT NULL DEFAULT 0,
    comments          INTEGER NOT NULL DEFAULT 0,
    bookmarks         INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL,
    revised_at        TEXT NOT NULL
);
CREATE INDEX works_by_updated ON works(updated DESC, id DESC);

CREATE TABLE creatorships (
    work_id  INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    pseud_id INTEGER NOT NULL REFERENCES pseuds(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (work_id, pseud_id)
);
CREATE INDEX creatorships_by_pseud ON creatorships(pseud_id, work_id);

CREATE TABLE chapters (
    id         INTEGER PRIMARY KEY,
    work_id    INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    title      TEXT,
    summary    TEXT,
    notes      TEXT,
    end_notes  TEXT,
    content    TEXT NOT NULL,
    word_count INTEGER NOT NULL,
    posted     BOOLEAN NOT NULL,
    published  TEXT NOT NULL,
    UNIQUE (work_id, position)
);

CREATE TABLE tags (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL,
    name      TEXT NOT NULL,
    name_key  TEXT NOT NULL UNIQUE,
    canonical BOOLEAN NOT NULL DEFAULT FALSE,
    merger_id INTEGER REFERENCES tags(id)
);

CREATE TABLE work_tags (
    work_id  INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    tag_id   INTEGER NOT NULL REFERENCES tags(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (work_id, tag_id)
);
CREATE INDEX work_tags_by_tag ON work_tags(tag_id, work_id);

CREATE TABLE series (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL,
    summary    TEXT,
    complete   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL
);

CREATE TABLE serial_works (
    series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
    work_id   INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    PRIMARY KEY (series_id, work_id)
);
CREATE INDEX serial_works_by_work ON serial_works(work_id);

CREATE TABLE sources (
    work_id         INTEGER PRIMARY KEY REFERENCES works(id) ON DELETE CASCADE,
    archive         TEXT NOT NULL,
    path            TEXT NOT NULL,
    original_id     TEXT,
    content_hash    TEXT NOT NULL,
    fields          TEXT NOT NULL,
    original_rating TEXT,
    imported_at     TEXT NOT NULL,
    UNIQUE (archive, path)
);

-- The outbox: every change readers can see, in commit order (one writer).
CREATE TABLE changes (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    entity    TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    op        TEXT NOT NULL,
    at        TEXT NOT NULL
);
