-- Web sessions, API tokens, and the class a 班主任 account is bound to.

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    county TEXT NOT NULL REFERENCES counties(code),
    username TEXT NOT NULL REFERENCES users(username),
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    source TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(username);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    county TEXT NOT NULL REFERENCES counties(code),
    username TEXT NOT NULL REFERENCES users(username),
    label TEXT NOT NULL,
    created_at TEXT NOT NULL
);

ALTER TABLE users ADD COLUMN class_grade TEXT;
ALTER TABLE users ADD COLUMN class_number BIGINT;
