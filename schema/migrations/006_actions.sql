-- Assistance actions (issue 5, item 5): reviewers turn items of an assessment's
-- assistance plan into actions they track until the help is delivered. One action
-- per plan item: keyed to (assessment_id, rec_id), the recommendation id of the
-- guide. The plan itself (assessment_plan_items, 003) is rewritten whenever the
-- answers change, so actions live here and survive a recommendation leaving the
-- plan. Every change is recorded in the audit table (kind 'action') in the same
-- transaction (server/db_actions.c).
CREATE TABLE actions (
	id            INTEGER PRIMARY KEY,
	assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
	rec_id        TEXT    NOT NULL CHECK (length(rec_id) BETWEEN 1 AND 64),
	status        TEXT    NOT NULL DEFAULT 'proposed'
	              CHECK (status IN ('proposed', 'planned', 'in_progress', 'delivered')),
	partner       TEXT    NOT NULL DEFAULT '' CHECK (length(partner) <= 200),  -- donor or partner
	start_date    TEXT    CHECK (start_date IS NULL OR date(start_date) = start_date),
	end_date      TEXT    CHECK (end_date IS NULL OR date(end_date) = end_date),
	note          TEXT    NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
	-- users(id) (002), without a foreign key like answers.updated_by
	created_by    INTEGER,
	created_at    INTEGER NOT NULL,
	updated_by    INTEGER,
	updated_at    INTEGER NOT NULL,
	UNIQUE (assessment_id, rec_id),
	CHECK (start_date IS NULL OR end_date IS NULL OR end_date >= start_date)
);
-- the delivered help of a round, read by the next round's comparison
CREATE INDEX actions_by_status ON actions(assessment_id, status);
