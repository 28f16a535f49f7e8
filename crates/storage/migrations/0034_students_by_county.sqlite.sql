-- Issue #19: PostgreSQL only (see 0034_students_by_county.postgres.sql).
SELECT 1;
