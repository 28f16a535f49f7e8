-- Three registers of issue #17: 公文登记 (the documents the bureau issues, each under its
-- 文号, with an optional file in the attachments store), 安全事故登记 (incidents with their
-- follow-up steps until 结案), and 职业教育 (the vocational school's programmes, partner
-- agreements and yearly intake); and 曾用名, a school's former names with the day each
-- was given up.

CREATE TABLE documents (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    -- The 文号 in its one spelling (溆教发〔2021〕45号), unique per county.
    number TEXT NOT NULL,
    issue_year BIGINT NOT NULL,
    title TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    office TEXT NOT NULL,
    category TEXT NOT NULL,
    -- The attached file: its key in the attachments store, its name, type and size.
    file_key TEXT,
    file_name TEXT,
    file_mime TEXT,
    file_size BIGINT,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (county, number)
);
CREATE INDEX documents_year ON documents(county, issue_year);

CREATE TABLE incidents (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    school_code TEXT NOT NULL REFERENCES schools(code),
    happened_on TEXT NOT NULL,
    category TEXT NOT NULL,
    -- 在校期间 1, 校外 0.
    in_school BIGINT NOT NULL,
    deaths BIGINT NOT NULL,
    injuries BIGINT NOT NULL,
    account TEXT NOT NULL,
    -- The 结案 step's date, NULL while open.
    closed_on TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX incidents_date ON incidents(county, happened_on);
CREATE INDEX incidents_school ON incidents(county, school_code);

CREATE TABLE incident_steps (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    incident_id BIGINT NOT NULL REFERENCES incidents(id),
    kind TEXT NOT NULL,
    happened_on TEXT NOT NULL,
    note TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX incident_steps_incident ON incident_steps(county, incident_id);

CREATE TABLE vocational_programmes (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    school_code TEXT NOT NULL REFERENCES schools(code),
    name TEXT NOT NULL,
    code TEXT,
    schooling TEXT NOT NULL,
    partner TEXT,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (county, school_code, name, schooling)
);

CREATE TABLE vocational_agreements (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    programme_id BIGINT NOT NULL REFERENCES vocational_programmes(id),
    title TEXT NOT NULL,
    partner TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    years BIGINT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (programme_id, title, signed_on)
);
CREATE INDEX vocational_agreements_programme ON vocational_agreements(county, programme_id);

CREATE TABLE vocational_intakes (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    programme_id BIGINT NOT NULL REFERENCES vocational_programmes(id),
    year BIGINT NOT NULL,
    students BIGINT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (programme_id, year)
);
CREATE INDEX vocational_intakes_year ON vocational_intakes(county, year);

-- 曾用名: the name a school had until a day (the schools import records one when a
-- stored school's name changes).
CREATE TABLE school_names (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    school_code TEXT NOT NULL REFERENCES schools(code),
    former_name TEXT NOT NULL,
    until_on TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (county, school_code, former_name, until_on)
);
