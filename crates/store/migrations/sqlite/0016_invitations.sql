-- Invitations members may send (AO3 grants its members invitations to hand to friends), and
-- the lookups the invitation pages make. Times are Unix seconds, as in 0005_accounts.

-- How many invitations a member may still send; no row is none. Admins grant more.
CREATE TABLE invitation_allowances (
    user_id          INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    invitations_left INTEGER NOT NULL CHECK (invitations_left >= 0)
);

-- A member's list of the invitations they sent; whether an address has an open one.
CREATE INDEX invitations_by_creator ON invitations(created_by, created_at);
CREATE INDEX invitations_by_email ON invitations(email);
-- The queue, oldest first.
CREATE INDEX invitation_requests_waiting ON invitation_requests(requested_at, email)
    WHERE invited_at IS NULL;
