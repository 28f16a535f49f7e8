-- Issue #19, item 3: on PostgreSQL every key of a county table now includes county (see
-- 0033_county_keys.postgres.sql and docs/postgresql.md, "Citus"). SQLite keeps its keys: a
-- SQLite file is one county, and rebuilding every table to change its primary key would
-- buy nothing.
--
-- The storage code's ON CONFLICT targets, one text for both engines, name the PostgreSQL
-- keys. SQLite takes a target only if a unique index has exactly its columns, so those
-- targets get a matching unique index here (each implied by the existing key, which stays).
CREATE UNIQUE INDEX org_units_county_code ON org_units (county, code);
CREATE UNIQUE INDEX schools_county_code ON schools (county, code);
CREATE UNIQUE INDEX classes_county_school_code_term_grade_number_key ON classes (county, school_code, term, grade, number);
CREATE UNIQUE INDEX enrollments_county_student_id_term ON enrollments (county, student_id, term);
CREATE UNIQUE INDEX institution_events_county_institution_id_status_happened_on_key ON institution_events (county, institution_id, status, happened_on);
CREATE UNIQUE INDEX project_investments_county_project_id_year_key ON project_investments (county, project_id, year);
CREATE UNIQUE INDEX safety_checks_county_inspection_id_school_code_item_key ON safety_checks (county, inspection_id, school_code, item);
CREATE UNIQUE INDEX training_participants_county_training_id_id_number_key ON training_participants (county, training_id, id_number);
CREATE UNIQUE INDEX vocational_agreements_county_programme_id_title_signed_on_key ON vocational_agreements (county, programme_id, title, signed_on);
CREATE UNIQUE INDEX vocational_intakes_county_programme_id_year_key ON vocational_intakes (county, programme_id, year);
