-- 0004_people: the accounts that sign in to see protected views, viewer groups, browser sessions
-- and view access tokens (View access, expiration & deletion guide, "View access modes").
-- Views name viewers and groups inside their JSON lists (views.viewers, views.viewer_groups), not
-- by foreign key, so deleting an account or a group never touches a view: the name simply stops
-- matching anybody.

CREATE TABLE users (
    seq           INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,          -- UUID (the "User ID" of viewers / editors)
    email         TEXT NOT NULL,                 -- as given
    email_norm    TEXT NOT NULL UNIQUE,          -- lower-cased: one account per address
    password_hash TEXT NOT NULL,                 -- argon2id encoded string (salt and parameters inside)
    is_operator   INTEGER NOT NULL DEFAULT 0,    -- the server's operator: manager of every iGUIDE
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE viewer_groups (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,             -- UUID
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE viewer_group_members (
    group_id TEXT NOT NULL REFERENCES viewer_groups(id) ON DELETE CASCADE,
    user_id  TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
) STRICT;
CREATE INDEX viewer_group_members_user ON viewer_group_members(user_id);

CREATE TABLE sessions (
    id         BLOB PRIMARY KEY,                 -- SHA-256 of the secret in the cookie
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf       BLOB NOT NULL,                    -- 32 random bytes: the session-bound CSRF secret
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

CREATE TABLE view_access_tokens (
    hash       BLOB PRIMARY KEY,                 -- SHA-256 of the token
    view_id    TEXT NOT NULL REFERENCES views(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,                 -- 3 weeks after issue
    created_by TEXT                              -- App ID that asked for it
) STRICT;
CREATE INDEX view_access_tokens_view ON view_access_tokens(view_id);
