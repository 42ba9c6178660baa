-- The next round starts from the last (issue 5, item 6): a new round may be
-- pre-filled with the answers of the country's previous round. Such an answer
-- keeps the round it came from in carried_from until an official confirms it or
-- changes it (server/carry.c, db_answer_put, db_answer_confirm); NULL for every
-- answer given or confirmed in its own round. Carried-over answers are answers:
-- they count in the scores like any other.
ALTER TABLE answers ADD COLUMN carried_from INTEGER CHECK (carried_from IS NULL OR carried_from BETWEEN 2000 AND 2100);
