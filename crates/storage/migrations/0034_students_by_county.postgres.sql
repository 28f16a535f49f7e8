-- Issue #19: on PostgreSQL every join to a student reads `s.county = e.county AND s.id = …`,
-- so a county's students are found by this index in id order (the order they were written)
-- instead of scanning every county's students: the aid roll of one county at province size
-- went from 13 s to 0.4 s (docs/postgresql.md). SQLite holds one county a file and finds a
-- student by its rowid; it needs no such index.
CREATE INDEX IF NOT EXISTS students_county_id ON students(county, id);
ANALYZE students;
