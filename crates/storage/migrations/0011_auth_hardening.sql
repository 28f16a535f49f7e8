-- Login throttle counters and API tokens with an expiry, last use and revocation.

-- One row per counter: kind 'pair' (name as typed + address), 'address' (address, name ''),
-- 'name' (name, address ''). Counted before the password is checked; see emis_domain::login.
CREATE TABLE login_throttle (
    kind TEXT NOT NULL,
    username TEXT NOT NULL,
    address TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    window_start TEXT NOT NULL,
    locked_until TEXT,
    PRIMARY KEY (kind, username, address)
);
CREATE INDEX login_throttle_window ON login_throttle(window_start);

-- API tokens get an id (for the revoke form), an expiry chosen at creation, the last use
-- and the revocation time. Tokens created before this version have no expiry written:
-- they expire 90 days after their creation (emis_app::auth::DEFAULT_TOKEN_DAYS).
CREATE TABLE api_tokens_v2 (
    id {{id}},
    token_hash TEXT NOT NULL UNIQUE,
    county TEXT NOT NULL REFERENCES counties(code),
    username TEXT NOT NULL REFERENCES users(username),
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    last_used_at TEXT,
    revoked_at TEXT
);
INSERT INTO api_tokens_v2 (token_hash, county, username, label, created_at)
    SELECT token_hash, county, username, label, created_at FROM api_tokens;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_v2 RENAME TO api_tokens;
CREATE INDEX api_tokens_user ON api_tokens(username);
