-- The roll import writes 150,000 roll entries at a time. An entry's county and school are
-- those of its class, which the class key already checks, so the two keys that repeated the
-- check go (SQLite drops a key only by rebuilding the table). enrollments_class is the
-- prefix of enrollments_class_status.
CREATE TABLE enrollments_rebuilt (
    student_id BIGINT NOT NULL REFERENCES students(id),
    term TEXT NOT NULL,
    county TEXT NOT NULL,
    school_code TEXT NOT NULL,
    class_id BIGINT NOT NULL REFERENCES classes(id),
    grade TEXT NOT NULL,
    boarding BIGINT NOT NULL,
    status TEXT NOT NULL,
    PRIMARY KEY (student_id, term)
);
INSERT INTO enrollments_rebuilt (student_id, term, county, school_code, class_id, grade, boarding, status)
    SELECT student_id, term, county, school_code, class_id, grade, boarding, status FROM enrollments;
DROP TABLE enrollments;
ALTER TABLE enrollments_rebuilt RENAME TO enrollments;
CREATE INDEX enrollments_term_school ON enrollments(county, term, school_code);
CREATE INDEX enrollments_class_status ON enrollments(class_id, status);
CREATE INDEX enrollments_term_status ON enrollments(county, term, status, school_code);
