-- The plan of each assessment in one column beside its overall figures, so that
-- the dashboard counts the recommendations of ~200 assessments from ~200 rows
-- instead of ~7,000 plan items: "rec_id:n_triggers" separated by spaces, in plan
-- order. The server fills it at its next start (db_scores_reconcile recomputes
-- every assessment when the scores' format changes).
ALTER TABLE assessment_overall ADD COLUMN plan_recs TEXT NOT NULL DEFAULT '';
