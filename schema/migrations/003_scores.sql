-- Materialized scores and assistance plans (SCORING.md), so that the dashboard
-- never recomputes them from the answers. server/db_scores.c rewrites an
-- assessment's rows in the same transaction as every change of its answers; at
-- start the server recomputes every assessment whose rows were made by another
-- guide (settings 'scores_guide_hash') or that has none.

-- One row per assessment and area (the seven ids of PRODUCT.md).
CREATE TABLE assessment_scores (
	assessment_id   INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
	area            TEXT    NOT NULL,
	position        INTEGER NOT NULL,             -- the area's place in the guide, 0..6
	need            INTEGER CHECK (need BETWEEN 0 AND 100), -- NULL: undefined
	capacity        REAL,                         -- NULL: undefined
	level           TEXT    NOT NULL CHECK (level IN ('unknown', 'low', 'moderate', 'high', 'critical')),
	coverage        REAL    NOT NULL,
	answered        INTEGER NOT NULL,
	applicable      INTEGER NOT NULL,
	data_gaps       INTEGER NOT NULL,
	n_critical_gaps INTEGER NOT NULL,
	critical_gaps   TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(critical_gaps)), -- [QID] in guide order
	PRIMARY KEY (assessment_id, area)
) WITHOUT ROWID;

-- One row per assessment: the overall figures.
CREATE TABLE assessment_overall (
	assessment_id INTEGER PRIMARY KEY REFERENCES assessments(id) ON DELETE CASCADE,
	need          INTEGER,                        -- NULL: undefined
	coverage      REAL    NOT NULL,
	answered      INTEGER NOT NULL,
	applicable    INTEGER NOT NULL,
	priorities    TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(priorities)), -- [area id]
	computed_at   INTEGER NOT NULL
);

-- The assistance plan: one row per triggered recommendation. Assistance actions
-- (issue 5, item 5) refer to (assessment_id, rec_id) but live in their own table,
-- since these rows are rewritten whenever the answers change.
CREATE TABLE assessment_plan_items (
	assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
	rec_id        TEXT    NOT NULL,
	area          TEXT    NOT NULL,
	position      INTEGER NOT NULL,               -- plan order, 0 first
	n_triggers    INTEGER NOT NULL,
	triggered_by  TEXT    NOT NULL CHECK (json_valid(triggered_by)), -- [QID] in guide order
	PRIMARY KEY (assessment_id, rec_id)
) WITHOUT ROWID;
CREATE INDEX assessment_plan_items_by_rec ON assessment_plan_items(rec_id);
