-- School safety: inspections and campaigns, the hazard ledger (整改销号) with evidence
-- files, and anti-drowning: water bodies with their measures, the 九长 chain, the patrol
-- roster and logs, the 十有 checklist and parent letters. Every table carries the county.

CREATE TABLE safety_inspections (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    school_code TEXT REFERENCES schools(code),
    planned_on TEXT NOT NULL,
    done_on TEXT,
    checklist TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX safety_inspections_county ON safety_inspections(county, planned_on);
CREATE INDEX safety_inspections_school ON safety_inspections(school_code);

CREATE TABLE safety_hazards (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    school_code TEXT NOT NULL REFERENCES schools(code),
    inspection_id BIGINT REFERENCES safety_inspections(id),
    place TEXT NOT NULL,
    category TEXT NOT NULL,
    grade TEXT NOT NULL,
    description TEXT NOT NULL,
    found_on TEXT NOT NULL,
    found_by TEXT NOT NULL,
    responsible TEXT,
    measures TEXT,
    deadline TEXT,
    budget_fen BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    result TEXT,
    rectified_on TEXT,
    review TEXT,
    reviewed_by TEXT,
    closed_on TEXT,
    sent_back_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX safety_hazards_county ON safety_hazards(county, status);
CREATE INDEX safety_hazards_school ON safety_hazards(school_code);
CREATE INDEX safety_hazards_found ON safety_hazards(county, found_on);

CREATE TABLE safety_evidence (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    hazard_id BIGINT NOT NULL REFERENCES safety_hazards(id),
    stage TEXT NOT NULL,
    file_name TEXT NOT NULL,
    stored_name TEXT NOT NULL,
    mime TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL
);
CREATE INDEX safety_evidence_hazard ON safety_evidence(hazard_id);

CREATE TABLE water_bodies (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    township_code TEXT NOT NULL REFERENCES org_units(code),
    village TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    longitude TEXT,
    latitude TEXT,
    risk TEXT NOT NULL,
    has_sign BIGINT NOT NULL DEFAULT 0,
    has_pole BIGINT NOT NULL DEFAULT 0,
    has_ring BIGINT NOT NULL DEFAULT 0,
    has_rope BIGINT NOT NULL DEFAULT 0,
    has_rail BIGINT NOT NULL DEFAULT 0,
    backfilled BIGINT NOT NULL DEFAULT 0,
    closed BIGINT NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    UNIQUE (county, township_code, name)
);
CREATE INDEX water_bodies_township ON water_bodies(township_code);

-- 九长: one named person per role and target (a water body, a village, a school, a class).
CREATE TABLE drowning_chain (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    level TEXT NOT NULL,
    township_code TEXT NOT NULL REFERENCES org_units(code),
    water_id BIGINT REFERENCES water_bodies(id),
    village TEXT,
    school_code TEXT REFERENCES schools(code),
    class_label TEXT,
    role TEXT NOT NULL,
    person TEXT NOT NULL,
    phone TEXT NOT NULL
);
CREATE INDEX drowning_chain_water ON drowning_chain(water_id);
CREATE INDEX drowning_chain_township ON drowning_chain(county, township_code);

CREATE TABLE patrol_roster (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    water_id BIGINT NOT NULL REFERENCES water_bodies(id),
    patroller TEXT NOT NULL,
    phone TEXT NOT NULL,
    slot TEXT NOT NULL,
    from_day TEXT NOT NULL,
    to_day TEXT NOT NULL
);
CREATE INDEX patrol_roster_water ON patrol_roster(water_id);

CREATE TABLE patrol_logs (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    water_id BIGINT NOT NULL REFERENCES water_bodies(id),
    day TEXT NOT NULL,
    slot TEXT NOT NULL,
    patroller TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX patrol_logs_day ON patrol_logs(county, day);
CREATE INDEX patrol_logs_water ON patrol_logs(water_id, day);

-- 十有 per township or school and year.
CREATE TABLE ten_haves (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    year BIGINT NOT NULL,
    org_code TEXT NOT NULL REFERENCES org_units(code),
    item TEXT NOT NULL,
    done BIGINT NOT NULL,
    evidence TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    UNIQUE (county, year, org_code, item)
);

-- 致家长一封信: signed per student and term.
CREATE TABLE parent_letters (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    student_id BIGINT NOT NULL REFERENCES students(id),
    term TEXT NOT NULL,
    school_code TEXT NOT NULL REFERENCES schools(code),
    signed_on TEXT NOT NULL,
    UNIQUE (county, student_id, term)
);
CREATE INDEX parent_letters_term ON parent_letters(county, term, school_code);
