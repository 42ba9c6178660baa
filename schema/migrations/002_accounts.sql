-- Accounts, sessions, API tokens and the record of failed sign-ins.
--
-- Secrets are never stored: passwords as argon2id hashes (libsodium's
-- crypto_pwhash_str), session ids and API tokens as hex SHA-256 of the random
-- value the client holds.

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	username      TEXT    NOT NULL UNIQUE COLLATE NOCASE
	              CHECK (length(username) BETWEEN 2 AND 63),
	password_hash TEXT    NOT NULL,
	role          TEXT    NOT NULL CHECK (role IN ('admin', 'reviewer', 'official', 'observer')),
	-- ISO 3166 alpha-3; officials and observers belong to one country, the others to none
	country       TEXT    CHECK (country IS NULL OR length(country) = 3),
	focal_point   INTEGER NOT NULL DEFAULT 0 CHECK (focal_point IN (0, 1)),
	disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	-- set for one-time passwords (first administrator, accounts made or reset on the
	-- admin page): the user must choose a new password before anything else
	must_change   INTEGER NOT NULL DEFAULT 0 CHECK (must_change IN (0, 1)),
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL,
	last_login_at INTEGER,
	CHECK ((role IN ('official', 'observer')) = (country IS NOT NULL)),
	CHECK (focal_point = 0 OR role = 'official')
);

CREATE TABLE sessions (
	id_hash    TEXT    PRIMARY KEY,            -- hex SHA-256 of the cookie value
	user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,               -- absolute timeout counts from here
	last_seen  INTEGER NOT NULL                -- idle timeout counts from here
) WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions(user_id);

CREATE TABLE api_tokens (
	hash         TEXT    PRIMARY KEY,          -- hex SHA-256 of the bearer token
	user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at   INTEGER NOT NULL,
	expires_at   INTEGER NOT NULL,
	last_used_at INTEGER
) WITHOUT ROWID;
CREATE INDEX api_tokens_by_user ON api_tokens(user_id);

-- Failed sign-ins (form and token requests), kept for the throttling window.
CREATE TABLE login_failures (
	id       INTEGER PRIMARY KEY,
	at       INTEGER NOT NULL,
	username TEXT    NOT NULL COLLATE NOCASE,
	address  TEXT    NOT NULL
);
CREATE INDEX login_failures_by_user ON login_failures(username, at);
CREATE INDEX login_failures_by_address ON login_failures(address, at);
CREATE INDEX login_failures_by_time ON login_failures(at);

CREATE INDEX audit_by_kind ON audit(kind, id);
