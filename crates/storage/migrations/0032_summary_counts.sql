-- Issue #18: the annual summary's aid figures count a term's payments by (student, policy)
-- (资助人次, 金额) and its roll by the facts eligibility reads (应助未助). These two indexes
-- hold those columns in that order, so the counts read one index in order instead of
-- every row; each replaces the index that was its first columns.
CREATE INDEX aid_payments_keys ON aid_payments(county, term, id_number, policy_code, fen);
DROP INDEX IF EXISTS aid_payments_term;
CREATE INDEX enrollments_term_facts ON enrollments(county, term, school_code, grade, boarding, status);
DROP INDEX IF EXISTS enrollments_term_school;
ANALYZE aid_payments;
ANALYZE enrollments;
