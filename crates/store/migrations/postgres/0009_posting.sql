-- Posting from the web: the one-time key of each create form, so that a form sent twice
-- (a double click, a reload after a lost answer) makes one work or one chapter, not two.
-- The key is the form's nonce prefixed with its user's id; it goes when its work does.
CREATE TABLE posting_keys (
    form_key   TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    work_id    BIGINT NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    chapter_id BIGINT REFERENCES chapters(id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX posting_keys_by_work ON posting_keys(work_id);
