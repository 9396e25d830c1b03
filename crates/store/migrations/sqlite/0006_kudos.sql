-- Kudos: one per account and one per guest per work, as AO3 counts them. A guest is known by
-- a keyed hash of their address (the address itself is never stored). When an account is
-- deleted its kudos stay, as a guest's (user_id and guest_key both NULL).
-- works.kudos counts them, plus any kudos a work was imported with.
CREATE TABLE kudos (
    id         INTEGER PRIMARY KEY,
    work_id    INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    user_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    guest_key  TEXT,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX kudos_by_user ON kudos(work_id, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX kudos_by_guest ON kudos(work_id, guest_key) WHERE guest_key IS NOT NULL;
