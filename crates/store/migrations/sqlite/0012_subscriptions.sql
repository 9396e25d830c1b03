-- Following works, creators and series, as AO3 does: subscriptions, the inbox of updates they
-- bring, and a reader's history (with "marked for later").

-- A subscription names exactly one of a work, a creator (a user) or a series; each reader
-- subscribes to each once. The NULLs of the other two columns never collide in UNIQUE.
CREATE TABLE subscriptions (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    work_id    INTEGER REFERENCES works(id) ON DELETE CASCADE,
    creator_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    series_id  INTEGER REFERENCES series(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    CHECK ((work_id IS NOT NULL) + (creator_id IS NOT NULL) + (series_id IS NOT NULL) = 1),
    UNIQUE (user_id, work_id),
    UNIQUE (user_id, creator_id),
    UNIQUE (user_id, series_id)
);
CREATE INDEX subscriptions_of_work ON subscriptions(work_id);
CREATE INDEX subscriptions_of_creator ON subscriptions(creator_id);
CREATE INDEX subscriptions_of_series ON subscriptions(series_id);

-- One update for one subscriber: `chapter` (a new chapter of a work they follow), `work` (a
-- new work by a creator they follow) or `series` (a new work in a series they follow). The
-- text is made when shown, from the work as it is then and through the visibility rule.
CREATE TABLE inbox (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    work_id    INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    chapter_id INTEGER REFERENCES chapters(id) ON DELETE CASCADE,
    series_id  INTEGER REFERENCES series(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    unread     BOOLEAN NOT NULL
);
CREATE INDEX inbox_by_user ON inbox(user_id, id);
CREATE INDEX inbox_unread ON inbox(user_id) WHERE unread;

-- A reader's history: one row per work, its first and last visit and how many visits
-- (recorded in batches, never a write per page view), and AO3's "marked for later".
CREATE TABLE readings (
    user_id          INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    work_id          INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    first_visited_at TEXT NOT NULL,
    last_visited_at  TEXT NOT NULL,
    visits           INTEGER NOT NULL,
    later            BOOLEAN NOT NULL,
    PRIMARY KEY (user_id, work_id)
);
CREATE INDEX readings_by_time ON readings(user_id, last_visited_at);

-- AO3's "Turn on Viewing History" preference, on unless turned off.
ALTER TABLE preferences ADD COLUMN history_enabled BOOLEAN NOT NULL DEFAULT TRUE;
