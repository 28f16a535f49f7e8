-- Issue #19: a county's first import writes 150,000 enrollments, and each index costs every
-- row a B-tree descent. Every statement now names the county with a student's, class's or
-- enrollment's id, so the indexes 0033 kept for the old single-column keys are no longer
-- read, and two overlapping enrollment indexes become one. The enrollments keep three
-- indexes of six, the students three of four, the classes three of five; the enrollments'
-- insert takes about 1 s less of a 150,000-row import (measured in docs/postgresql.md).
DROP INDEX students_id;
DROP INDEX classes_id;
DROP INDEX classes_school_code_term_grade_number;
DROP INDEX enrollments_student_id_term;
-- A class's size counts its '在读' entries: the class index carries the status, so the
-- count reads the index alone, as enrollments_class_status (class_id, status) did.
DROP INDEX enrollments_class_status;
DROP INDEX enrollments_county_class;
CREATE INDEX enrollments_county_class ON enrollments (county, class_id, student_id) INCLUDE (status);
-- One index for a term's roll by status (enrollments_term_status was its first four
-- columns) and for the facts by school, grade and boarding that it covers.
DROP INDEX enrollments_term_status;
DROP INDEX enrollments_term_facts;
CREATE INDEX enrollments_term_facts ON enrollments (county, term, status, school_code, grade, boarding);
ANALYZE enrollments;
