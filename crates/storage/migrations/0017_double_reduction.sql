-- 双减: off-campus training institutions (the `institutions` import and the register page)
-- with their status changes as dated events, and after-school service per school and term
-- (the `after-school` import and the schools' form).

CREATE TABLE institutions (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    name TEXT NOT NULL,
    credit_code TEXT NOT NULL,
    category TEXT NOT NULL,
    township_code TEXT NOT NULL,
    licence TEXT,
    owner TEXT,
    address TEXT,
    status TEXT NOT NULL,
    status_on TEXT,
    UNIQUE (county, credit_code)
);
CREATE INDEX institutions_township ON institutions(county, township_code);

-- One row per change of status: the indicators count the changes of a year.
CREATE TABLE institution_events (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    institution_id BIGINT NOT NULL REFERENCES institutions(id),
    status TEXT NOT NULL,
    happened_on TEXT NOT NULL,
    document TEXT,
    note TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (institution_id, status, happened_on)
);
CREATE INDEX institution_events_date ON institution_events(county, happened_on);

CREATE TABLE after_school (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    school_code TEXT NOT NULL REFERENCES schools(code),
    term TEXT NOT NULL,
    offered BIGINT NOT NULL,
    days_a_week BIGINT NOT NULL,
    minutes_a_day BIGINT NOT NULL,
    students BIGINT NOT NULL,
    teachers BIGINT,
    fee_fen BIGINT,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (county, school_code, term)
);
CREATE INDEX after_school_term ON after_school(county, term);

-- 五项管理 self-checks: one per school and term, the reported figures as JSON.
CREATE TABLE five_checks (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    school_code TEXT NOT NULL REFERENCES schools(code),
    term TEXT NOT NULL,
    check_json TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (county, school_code, term)
);

-- A complaint or an inspection opens a case against an institution, closed with its outcome.
CREATE TABLE institution_cases (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    institution_id BIGINT NOT NULL REFERENCES institutions(id),
    opened_on TEXT NOT NULL,
    source TEXT NOT NULL,
    summary TEXT NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT,
    closed_on TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX institution_cases_institution ON institution_cases(institution_id);
