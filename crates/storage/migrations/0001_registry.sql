-- The registry: counties, org units, schools, students with their per-term roll, staff;
-- accounts and the audit log. Every table carries the county's division code, the shard
-- key of a distributed PostgreSQL. {{id}} is the backend's auto-increment primary key.
-- Dates are ISO-8601 text, money is integer fen, flags are 0/1: the same on both engines.

CREATE TABLE counties (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    full_name TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE org_units (
    code TEXT PRIMARY KEY,
    county TEXT NOT NULL REFERENCES counties(code),
    parent_code TEXT REFERENCES org_units(code),
    kind TEXT NOT NULL,
    name TEXT NOT NULL
);
CREATE INDEX org_units_parent ON org_units(parent_code);

CREATE TABLE schools (
    code TEXT PRIMARY KEY REFERENCES org_units(code),
    county TEXT NOT NULL REFERENCES counties(code),
    township_code TEXT NOT NULL REFERENCES org_units(code),
    name TEXT NOT NULL,
    school_type TEXT NOT NULL,
    urban_rural TEXT NOT NULL,
    ownership TEXT NOT NULL,
    boarding BIGINT NOT NULL
);
CREATE INDEX schools_township ON schools(township_code);

CREATE TABLE students (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    id_number TEXT NOT NULL,
    student_no TEXT,
    name TEXT NOT NULL,
    sex TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    ethnicity TEXT,
    household_township TEXT,
    hardship TEXT NOT NULL,
    disability TEXT,
    UNIQUE (county, id_number)
);
CREATE INDEX students_name ON students(county, name);

CREATE TABLE classes (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    school_code TEXT NOT NULL REFERENCES schools(code),
    term TEXT NOT NULL,
    grade TEXT NOT NULL,
    number BIGINT NOT NULL,
    UNIQUE (school_code, term, grade, number)
);
CREATE INDEX classes_term ON classes(county, term);

-- One row per student per term: the roll (学籍) of that term. The key makes
-- "one school per student per term" a fact the database keeps.
CREATE TABLE enrollments (
    student_id BIGINT NOT NULL REFERENCES students(id),
    term TEXT NOT NULL,
    county TEXT NOT NULL REFERENCES counties(code),
    school_code TEXT NOT NULL REFERENCES schools(code),
    class_id BIGINT NOT NULL REFERENCES classes(id),
    grade TEXT NOT NULL,
    boarding BIGINT NOT NULL,
    status TEXT NOT NULL,
    PRIMARY KEY (student_id, term)
);
CREATE INDEX enrollments_class ON enrollments(class_id);
CREATE INDEX enrollments_term_school ON enrollments(county, term, school_code);

CREATE TABLE staff (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    school_code TEXT NOT NULL REFERENCES schools(code),
    id_number TEXT NOT NULL,
    name TEXT NOT NULL,
    sex TEXT NOT NULL,
    post_type TEXT NOT NULL,
    subject TEXT,
    title TEXT,
    channel TEXT,
    start_date TEXT,
    UNIQUE (county, id_number)
);
CREATE INDEX staff_school ON staff(school_code);

CREATE TABLE users (
    username TEXT PRIMARY KEY,
    county TEXT NOT NULL REFERENCES counties(code),
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    org_code TEXT NOT NULL REFERENCES org_units(code),
    password_hash TEXT NOT NULL,
    must_change_password BIGINT NOT NULL,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE audit_log (
    id {{id}},
    county TEXT NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    source TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_key TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_log_entity ON audit_log(county, entity, entity_key);
CREATE INDEX audit_log_actor ON audit_log(county, actor, at);

CREATE TABLE settings (
    county TEXT NOT NULL REFERENCES counties(code),
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (county, key)
);
