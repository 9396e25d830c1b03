-- Scheduled chapters and claims of imported creators. Times are Unix seconds (UTC), as in
-- 0005_accounts and 0015_admin.

-- An unposted chapter of a posted work with `post_at` set is scheduled: the server posts it
-- at that time (`quire_web::scheduled`). NULL for every other chapter.
ALTER TABLE chapters ADD COLUMN post_at INTEGER;
CREATE INDEX chapters_scheduled ON chapters(post_at) WHERE post_at IS NOT NULL AND NOT posted;

-- A person's claim that an unclaimed imported creator (`users.archive` set, `claimed` false)
-- is them, as Open Doors takes them: `open` until an admin approves it (the creator's pseuds
-- and works move to the claimant) or rejects it with a reason.
CREATE TABLE creator_claims (
    id          INTEGER PRIMARY KEY,
    claimant_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    creator_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    message     TEXT NOT NULL,
    status      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    decided_at  INTEGER,
    decided_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    reason      TEXT
);
-- One open claim per person per creator.
CREATE UNIQUE INDEX creator_claims_open ON creator_claims(claimant_id, creator_id)
    WHERE status = 'open';
CREATE INDEX creator_claims_by_status ON creator_claims(status, id);
