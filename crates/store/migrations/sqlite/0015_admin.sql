-- Administration: suspensions and bans, abuse reports, and the audit log of admin actions.
-- Times are Unix seconds (UTC), as in 0005_accounts.

-- At most one standing sanction per account: `suspended` until `until_at`, or `banned`
-- (`until_at` NULL). A suspension past its date no longer counts; lifting deletes the row.
CREATE TABLE user_sanctions (
    user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    until_at   INTEGER,
    reason     TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);

-- Reports of abuse sent to the admins (AO3's Policy & Abuse form), from guests and users.
-- `reporter_key` is a keyed hash of the sender's address (or their account), for the rate
-- limit; the address itself is never stored. Resolved reports keep who resolved them and why.
CREATE TABLE abuse_reports (
    id          INTEGER PRIMARY KEY,
    url         TEXT NOT NULL,
    summary     TEXT NOT NULL,
    details     TEXT NOT NULL,
    email       TEXT,
    reporter_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    reporter_key TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    resolved_at INTEGER,
    resolved_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    resolution  TEXT
);
CREATE INDEX abuse_reports_by_reporter ON abuse_reports(reporter_key, created_at);

-- Every admin action: who (the account, and its login then; `command line` for `quire`),
-- when, what, on what (its kind, id and name then), and why.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    actor_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id   INTEGER NOT NULL,
    target      TEXT NOT NULL,
    reason      TEXT NOT NULL
);
