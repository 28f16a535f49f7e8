-- 招生与班额 (issue #4): class-size settings, school capacity, the large-class ledger,
-- communities, zones, distances, intake plans, applicants, allocation runs with their
-- placements, and balanced classes with the recorded seed. Every table carries the county.

-- Class sizes (students 在读 per class) are counted from this index alone: the monitor
-- counts every class of two terms on each request.
CREATE INDEX enrollments_class_status ON enrollments(class_id, status);

-- Bands and standard sizes as data (RULES.md "Class size"); a county without a row uses
-- the defaults of RULES.md. rules_json is emis_domain::class_size::ClassSizeRules.
CREATE TABLE class_size_settings (
    county TEXT PRIMARY KEY REFERENCES counties(code),
    rules_json TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

-- Classrooms per grade (办学条件): capacity = classrooms × standard size.
CREATE TABLE school_capacity (
    county TEXT NOT NULL REFERENCES counties(code),
    school_code TEXT NOT NULL REFERENCES schools(code),
    grade TEXT NOT NULL,
    classrooms BIGINT NOT NULL,
    PRIMARY KEY (school_code, grade)
);
CREATE INDEX school_capacity_county ON school_capacity(county);

-- 大班额台账: one entry per large class of a term, closed off (销号) one by one.
CREATE TABLE large_class_ledger (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    class_id BIGINT NOT NULL REFERENCES classes(id),
    term TEXT NOT NULL,
    school_code TEXT NOT NULL REFERENCES schools(code),
    grade TEXT NOT NULL,
    class_number BIGINT NOT NULL,
    size_at_entry BIGINT NOT NULL,
    plan TEXT NOT NULL,
    owner TEXT NOT NULL,
    target_date TEXT,
    closed_on TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (class_id)
);
CREATE INDEX large_class_ledger_county ON large_class_ledger(county, term);

-- 社区/村, the unit zones are drawn with.
CREATE TABLE communities (
    county TEXT NOT NULL REFERENCES counties(code),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    township_code TEXT NOT NULL,
    PRIMARY KEY (county, code)
);

-- 学区: a community served by a school for an entry grade in a year.
CREATE TABLE zones (
    county TEXT NOT NULL REFERENCES counties(code),
    year BIGINT NOT NULL,
    grade TEXT NOT NULL,
    community_code TEXT NOT NULL,
    school_code TEXT NOT NULL REFERENCES schools(code),
    PRIMARY KEY (county, year, grade, community_code)
);

-- Distances in metres between communities and schools.
CREATE TABLE distances (
    county TEXT NOT NULL REFERENCES counties(code),
    community_code TEXT NOT NULL,
    school_code TEXT NOT NULL REFERENCES schools(code),
    metres BIGINT NOT NULL,
    PRIMARY KEY (county, community_code, school_code)
);

-- 招生计划: classes and class size a school opens for an entry grade in a year.
CREATE TABLE intake_plans (
    county TEXT NOT NULL REFERENCES counties(code),
    year BIGINT NOT NULL,
    grade TEXT NOT NULL,
    school_code TEXT NOT NULL REFERENCES schools(code),
    classes BIGINT NOT NULL,
    class_size BIGINT NOT NULL,
    PRIMARY KEY (county, year, grade, school_code)
);

-- 报名: applicants per year and entry grade; priority is a list of labels joined by '、';
-- score in tenths of a point.
CREATE TABLE applicants (
    county TEXT NOT NULL REFERENCES counties(code),
    year BIGINT NOT NULL,
    grade TEXT NOT NULL,
    id_number TEXT NOT NULL,
    name TEXT NOT NULL,
    sex TEXT NOT NULL,
    community_code TEXT NOT NULL,
    hukou BIGINT NOT NULL,
    property BIGINT NOT NULL,
    sibling_school TEXT,
    priority TEXT NOT NULL,
    score_tenths BIGINT,
    PRIMARY KEY (county, year, grade, id_number)
);

-- 派位方案: one allocation run (the base or a what-if), kept side by side; one published
-- per year and grade. result_json is emis_domain::enrollment::AllocationResult.
CREATE TABLE allocation_runs (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    year BIGINT NOT NULL,
    grade TEXT NOT NULL,
    name TEXT NOT NULL,
    changes_json TEXT NOT NULL,
    result_json TEXT NOT NULL,
    applicants BIGINT NOT NULL,
    placed BIGINT NOT NULL,
    unplaced BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    published BIGINT NOT NULL,
    published_at TEXT
);
CREATE INDEX allocation_runs_county ON allocation_runs(county, year, grade);

-- Each applicant's placement in a run, with the reason.
CREATE TABLE placements (
    run_id BIGINT NOT NULL REFERENCES allocation_runs(id),
    county TEXT NOT NULL REFERENCES counties(code),
    id_number TEXT NOT NULL,
    school_code TEXT,
    kind TEXT NOT NULL,
    rank BIGINT NOT NULL,
    zone_school TEXT,
    distance_m BIGINT,
    reason TEXT NOT NULL,
    PRIMARY KEY (run_id, id_number)
);
CREATE INDEX placements_school ON placements(run_id, school_code);

-- 均衡编班: one school's placed intake of a run split into classes, with the seed.
CREATE TABLE balanced_classes (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    run_id BIGINT NOT NULL REFERENCES allocation_runs(id),
    school_code TEXT NOT NULL REFERENCES schools(code),
    grade TEXT NOT NULL,
    class_size BIGINT NOT NULL,
    seed TEXT NOT NULL,
    classes_json TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX balanced_classes_run ON balanced_classes(run_id, school_code);
