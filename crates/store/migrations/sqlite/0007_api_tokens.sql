-- Personal API tokens, made on a user's settings page: only a hash of the token is kept.
-- `write` tokens may also post (kudos, and later works); every token may read what its owner
-- may. Revoking deletes the row.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    can_write    BOOLEAN NOT NULL,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER
);
CREATE INDEX api_tokens_by_user ON api_tokens(user_id);
