-- Assessments, their answers and the audit trail.
CREATE TABLE assessments (
	id            INTEGER PRIMARY KEY,
	country       TEXT    NOT NULL CHECK (length(country) = 3),
	round         INTEGER NOT NULL CHECK (round BETWEEN 2000 AND 2100),
	guide_version TEXT    NOT NULL,
	status        TEXT    NOT NULL DEFAULT 'draft'
	              CHECK (status IN ('draft', 'submitted', 'returned', 'validated')),
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL,
	created_by    INTEGER,
	UNIQUE (country, round)
);

CREATE TABLE answers (
	assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
	question_id   TEXT    NOT NULL,
	value         TEXT    NOT NULL CHECK (json_valid(value)),
	comment       TEXT    NOT NULL DEFAULT '',
	updated_by    INTEGER,
	updated_at    INTEGER NOT NULL,
	PRIMARY KEY (assessment_id, question_id)
) WITHOUT ROWID;

-- Every change of an answer, comment, attachment or status: who, when, old, new.
CREATE TABLE audit (
	id            INTEGER PRIMARY KEY,
	assessment_id INTEGER REFERENCES assessments(id) ON DELETE CASCADE,
	user_id       INTEGER,
	at            INTEGER NOT NULL,
	kind          TEXT    NOT NULL,
	target        TEXT,
	old           TEXT,
	new           TEXT
);
CREATE INDEX audit_by_assessment ON audit(assessment_id, target, id);

-- Server settings and secrets (the CSRF signing key).
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value BLOB NOT NULL
) WITHOUT ROWID;
