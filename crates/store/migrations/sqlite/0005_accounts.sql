-- Accounts: sessions, log-in throttles, password resets, preferences, roles and invitations.
-- Times are Unix seconds (UTC) in both backends, so that expiry checks are plain comparisons.

-- One row per signed-in browser. Only a SHA-256 of the cookie's token is kept: a copy of
-- this table does not let anyone sign in.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    user_agent   TEXT
);
CREATE INDEX sessions_by_user ON sessions(user_id);

-- Failed log-ins per key (`login:<login>` or `ip:<address>`), shared by every node.
CREATE TABLE login_failures (
    throttle_key    TEXT PRIMARY KEY,
    failures        INTEGER NOT NULL,
    last_failure_at INTEGER NOT NULL,
    locked_until    INTEGER NOT NULL
);

-- Password reset tokens, hashed, expiring and used once.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX password_resets_by_user ON password_resets(user_id);

CREATE TABLE preferences (
    user_id             INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    skip_adult_gate     BOOLEAN NOT NULL DEFAULT FALSE,
    hide_warnings       BOOLEAN NOT NULL DEFAULT FALSE,
    hide_freeforms      BOOLEAN NOT NULL DEFAULT FALSE,
    hide_creator_styles BOOLEAN NOT NULL DEFAULT FALSE,
    time_zone           TEXT NOT NULL DEFAULT 'UTC'
);

-- Roles beyond `users.is_admin`: `wrangler`, `moderator`.
CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role    TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

-- AO3's invitation queue: people ask with their e-mail address and are sent a code in turn;
-- users and admins hand out codes too. A code is used once.
CREATE TABLE invitation_requests (
    email        TEXT PRIMARY KEY,
    requested_at INTEGER NOT NULL,
    invited_at   INTEGER
);
CREATE TABLE invitations (
    code_hash   TEXT PRIMARY KEY,
    email       TEXT,
    created_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at  INTEGER NOT NULL,
    used_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    used_at     INTEGER
);

-- Secrets the nodes share (the key that signs signed-out CSRF cookies).
CREATE TABLE site_secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE UNIQUE INDEX users_by_email ON users(lower(email)) WHERE email IS NOT NULL;
