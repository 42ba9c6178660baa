-- The history pages read an assessment's audit trail newest first: index that
-- order instead of sorting the whole trail in a temporary B-tree.
CREATE INDEX audit_by_assessment_order ON audit(assessment_id, id);
