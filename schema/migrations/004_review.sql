-- Review comments and evidence files (issue 4, items 6 and 7). Every change to
-- either is also recorded in the audit table of 001 (server/db_comments.c,
-- server/db_evidence.c).

-- One thread of comments per question of an assessment. Reviewers (and
-- administrators) write 'review' comments; officials of the country write
-- 'reply' comments in a thread that has a review comment. A review comment is
-- open until an official replies in its thread (answered_by: the reply) or a
-- reviewer resolves it; either way resolved_at and resolved_by are set.
-- author_id and resolved_by are users(id) (002); no foreign key, like
-- answers.updated_by and audit.user_id, so that the trail never blocks on them.
CREATE TABLE comments (
	id            INTEGER PRIMARY KEY,
	assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
	question_id   TEXT    NOT NULL CHECK (length(question_id) BETWEEN 1 AND 64),
	author_id     INTEGER,
	kind          TEXT    NOT NULL CHECK (kind IN ('review', 'reply')),
	body          TEXT    NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
	created_at    INTEGER NOT NULL,
	answered_by   INTEGER REFERENCES comments(id),
	resolved_at   INTEGER,
	resolved_by   INTEGER,
	CHECK (kind = 'review' OR (answered_by IS NULL AND resolved_at IS NULL))
);
CREATE INDEX comments_by_question ON comments(assessment_id, question_id, id);
CREATE INDEX comments_open ON comments(assessment_id, question_id)
	WHERE kind = 'review' AND resolved_at IS NULL;

-- Files attached to a question as evidence (laws, statistics, reports). The
-- bytes live here, never on disk under a name a user chose; type is one of the
-- allow-list of server/evidence.c, found by content sniffing and extension;
-- filename is the sanitized original name, used only in Content-Disposition.
-- data is the last column so that listings never read the blobs.
CREATE TABLE evidence (
	id            INTEGER PRIMARY KEY,
	assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
	question_id   TEXT    NOT NULL CHECK (length(question_id) BETWEEN 1 AND 64),
	filename      TEXT    NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
	type          TEXT    NOT NULL,
	size          INTEGER NOT NULL CHECK (size > 0),
	sha256        TEXT    NOT NULL CHECK (length(sha256) = 64),
	uploaded_by   INTEGER,
	uploaded_at   INTEGER NOT NULL,
	data          BLOB    NOT NULL CHECK (length(data) = size)
);
CREATE INDEX evidence_by_question ON evidence(assessment_id, question_id, id);
