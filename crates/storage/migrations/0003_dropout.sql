-- 控辍保学 (dropout control) and 送教上门 (home teaching): population snapshots from the
-- public-security bureau, the comparison's findings per person, one case per suspected
-- child (一人一案) with its visit log and attachments, the 脱贫户 list, and home-teaching
-- plans with their visits. Every table carries the county's division code.

CREATE TABLE population_snapshots (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    snapshot_date TEXT NOT NULL,
    term TEXT NOT NULL,
    source TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    digest TEXT NOT NULL,
    school_age BIGINT NOT NULL DEFAULT 0,
    suspected BIGINT NOT NULL DEFAULT 0,
    probable BIGINT NOT NULL DEFAULT 0,
    not_in_school BIGINT NOT NULL DEFAULT 0,
    UNIQUE (county, snapshot_date)
);

-- One row per person of a snapshot. finding: 适龄 only for compulsory-age persons:
-- 在籍在校 / 休学 / 送教上门 / 在籍不在校 / 疑似匹配待确认 / 疑似辍学; NULL when not of
-- compulsory age. candidate: the probable match's ID number and reason.
CREATE TABLE population_persons (
    snapshot_id BIGINT NOT NULL REFERENCES population_snapshots(id),
    county TEXT NOT NULL REFERENCES counties(code),
    source_row BIGINT NOT NULL,
    id_number TEXT NOT NULL,
    name TEXT NOT NULL,
    sex TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    township_code TEXT NOT NULL,
    village TEXT,
    guardian TEXT,
    phone TEXT,
    finding TEXT,
    school_code TEXT,
    candidate_id TEXT,
    candidate_reason TEXT,
    poverty BIGINT NOT NULL DEFAULT 0
);
-- Rows go in in file order, so this index only grows at its end; an ID number is unique
-- within a snapshot because the import refuses duplicates.
CREATE INDEX population_persons_snapshot ON population_persons(snapshot_id, source_row);

CREATE TABLE dropout_cases (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    person_id_number TEXT NOT NULL,
    name TEXT NOT NULL,
    snapshot_id BIGINT NOT NULL REFERENCES population_snapshots(id),
    township_code TEXT NOT NULL,
    opened_on TEXT NOT NULL,
    status TEXT NOT NULL,
    township_cadre TEXT,
    village_cadre TEXT,
    school_code TEXT,
    school_contact TEXT,
    teacher TEXT,
    deadline TEXT,
    outcome TEXT,
    closed_on TEXT,
    evidence TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX dropout_cases_person ON dropout_cases(county, person_id_number);
CREATE INDEX dropout_cases_township ON dropout_cases(county, township_code, status);
CREATE INDEX dropout_cases_school ON dropout_cases(county, school_code);

-- The case's log: 走访 / 电话 visits, and 重新打开 with the earlier closure in detail.
CREATE TABLE dropout_case_events (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    case_id BIGINT NOT NULL REFERENCES dropout_cases(id),
    event_date TEXT NOT NULL,
    kind TEXT NOT NULL,
    note TEXT NOT NULL,
    detail TEXT,
    actor TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX dropout_case_events_case ON dropout_case_events(case_id);

-- Evidence files; the bytes live under the data folder next to the database.
CREATE TABLE dropout_attachments (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    case_id BIGINT NOT NULL REFERENCES dropout_cases(id),
    file_name TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    mime TEXT NOT NULL,
    stored_path TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL
);
CREATE INDEX dropout_attachments_case ON dropout_attachments(case_id);

-- 脱贫户 list (optional import): persons of poverty-alleviated households.
CREATE TABLE poverty_households (
    county TEXT NOT NULL REFERENCES counties(code),
    id_number TEXT NOT NULL,
    name TEXT NOT NULL,
    household_head TEXT,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (county, id_number)
);

-- 送教上门: one plan per child per term (一人一案), with assigned teachers.
CREATE TABLE home_teaching_plans (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    student_id_number TEXT NOT NULL,
    name TEXT NOT NULL,
    school_code TEXT NOT NULL REFERENCES schools(code),
    term TEXT NOT NULL,
    teachers TEXT NOT NULL,
    plan TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (county, student_id_number, term)
);
CREATE INDEX home_teaching_plans_school ON home_teaching_plans(county, term, school_code);

CREATE TABLE home_teaching_visits (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    plan_id BIGINT NOT NULL REFERENCES home_teaching_plans(id),
    visit_date TEXT NOT NULL,
    minutes BIGINT NOT NULL,
    teacher TEXT NOT NULL,
    content TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX home_teaching_visits_plan ON home_teaching_visits(plan_id);
