-- Comments on works, as AO3 keeps them: each on one chapter, threaded by `parent_id` (the
-- root of its thread in `thread_id`, its nesting in `depth`), left by a pseud or by a guest
-- with a name and e-mail address. A creator may ask for comments to wait for their review
-- (`unreviewed`), and may freeze (no replies, no edits) or hide (shown only to the creator
-- and the comment's author) a thread. A deleted comment with replies stays as a placeholder
-- (`deleted`, its text gone), one without is removed. `dedupe_key` (a hash of where, who and
-- what) makes the same comment sent twice one comment, as AO3 refuses duplicates.
-- works.comments counts the comments everyone can see: reviewed, not hidden, not deleted.
CREATE TABLE comments (
    id          INTEGER PRIMARY KEY,
    work_id     INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    chapter_id  INTEGER NOT NULL REFERENCES chapters(id) ON DELETE CASCADE,
    parent_id   INTEGER REFERENCES comments(id) ON DELETE CASCADE,
    thread_id   INTEGER NOT NULL,
    depth       INTEGER NOT NULL,
    user_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    pseud_id    INTEGER REFERENCES pseuds(id) ON DELETE SET NULL,
    guest_name  TEXT,
    guest_email TEXT,
    content     TEXT NOT NULL,
    unreviewed  BOOLEAN NOT NULL,
    hidden      BOOLEAN NOT NULL,
    frozen      BOOLEAN NOT NULL,
    deleted     BOOLEAN NOT NULL,
    dedupe_key  TEXT UNIQUE,
    created_at  TEXT NOT NULL,
    edited_at   TEXT
);
CREATE INDEX comments_of_work ON comments(work_id, id);
CREATE INDEX comments_by_user ON comments(user_id, id);
CREATE INDEX comments_replies ON comments(parent_id);

-- Who may comment on a work (AO3's "who can comment": `registered`, `everyone`, `nobody`)
-- and whether its comments wait for the creator's review. A work without a row takes the
-- defaults: everyone (guests too, where the archive allows guests), not moderated.
CREATE TABLE comment_settings (
    work_id    INTEGER PRIMARY KEY REFERENCES works(id) ON DELETE CASCADE,
    who        TEXT NOT NULL,
    moderated  BOOLEAN NOT NULL
);

-- A user's blocks (AO3 "block"): the blocked user cannot comment on the blocker's works or
-- reply to their comments.
CREATE TABLE blocks (
    blocker_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    blocked_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
);
CREATE INDEX blocks_of_blocked ON blocks(blocked_id);
