-- Pseuds, profiles and co-creators (AO3's "several pseuds per user", "About" text, and
-- co-creators who must accept before they are credited). Names and shapes match
-- migrations/postgres. Times are Unix seconds (UTC), as in 0005_accounts.

-- A pseud's description: sanitized HTML, or NULL.
ALTER TABLE pseuds ADD COLUMN description TEXT;

-- A user's profile: an optional title and "About" text (sanitized HTML).
CREATE TABLE profiles (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    title   TEXT,
    about   TEXT
);

-- A co-creator request: `pseud_id` is invited onto `work_id` by `inviter_id`, and is credited
-- (a `creatorships` row) only once its user accepts; declining deletes the request.
CREATE TABLE creatorship_invitations (
    id         INTEGER PRIMARY KEY,
    work_id    INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    pseud_id   INTEGER NOT NULL REFERENCES pseuds(id) ON DELETE CASCADE,
    inviter_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    UNIQUE (work_id, pseud_id)
);
CREATE INDEX creatorship_invitations_by_pseud ON creatorship_invitations(pseud_id);
