-- 中小学绩效目标管理评估: the scheme of a year (its items as JSON, edited by the supervision
-- office), the inspectors' scores per school and item, and the computed results of a year
-- (one JSON snapshot, frozen when published: later records do not change what was
-- published).

CREATE TABLE assessment_schemes (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    year BIGINT NOT NULL,
    items_json TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (county, year)
);

CREATE TABLE assessment_scores (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    year BIGINT NOT NULL,
    school_code TEXT NOT NULL REFERENCES schools(code),
    item TEXT NOT NULL,
    -- Hundredths of a point.
    score BIGINT NOT NULL,
    note TEXT,
    scored_by TEXT NOT NULL,
    scored_at TEXT NOT NULL,
    UNIQUE (county, year, school_code, item)
);

CREATE TABLE assessment_results (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    year BIGINT NOT NULL,
    results_json TEXT NOT NULL,
    computed_by TEXT NOT NULL,
    computed_at TEXT NOT NULL,
    published_by TEXT,
    published_at TEXT,
    UNIQUE (county, year)
);
