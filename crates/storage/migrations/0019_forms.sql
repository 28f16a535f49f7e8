-- 数据采集: form definitions (every version kept, so earlier responses stay readable), a
-- form's assignment for a period with its due date, and one task per respondent (school or
-- township) holding its answers as canonical text by field code.

CREATE TABLE form_definitions (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    code TEXT NOT NULL,
    version BIGINT NOT NULL,
    title TEXT NOT NULL,
    definition_json TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (county, code, version)
);

CREATE TABLE form_assignments (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    code TEXT NOT NULL,
    version BIGINT NOT NULL,
    period TEXT NOT NULL,
    due_on TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (county, code, period)
);

CREATE TABLE form_tasks (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    assignment_id BIGINT NOT NULL REFERENCES form_assignments(id),
    respondent TEXT NOT NULL,
    status TEXT NOT NULL,
    answers_json TEXT NOT NULL,
    comment TEXT,
    submitted_on TEXT,
    submitted_by TEXT,
    -- The last 催报 (reminder) the office sent, shown on the respondent's home.
    reminded_on TEXT,
    updated_at TEXT NOT NULL,
    UNIQUE (assignment_id, respondent)
);
CREATE INDEX form_tasks_respondent ON form_tasks(county, respondent);
