-- 建设项目 (the `projects` import, the planning office's pages): each project once, its
-- investment per year, and what it adds when completed. The class-size monitor adds a
-- completed project's classrooms to its school from 竣工日期 on.

CREATE TABLE projects (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    school_code TEXT REFERENCES schools(code),
    started_on TEXT NOT NULL,
    completed_on TEXT,
    -- 形象进度 in percent, as the site reports it.
    progress BIGINT,
    degrees_compulsory BIGINT NOT NULL,
    degrees_senior BIGINT NOT NULL,
    degrees_vocational BIGINT NOT NULL,
    degrees_preschool_public BIGINT NOT NULL,
    classrooms BIGINT NOT NULL,
    housing_units BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (county, name)
);
CREATE INDEX projects_school ON projects(county, school_code);
CREATE INDEX projects_completed ON projects(county, completed_on);

CREATE TABLE project_investments (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    project_id BIGINT NOT NULL REFERENCES projects(id),
    year BIGINT NOT NULL,
    amount_fen BIGINT NOT NULL,
    -- 资金来源 as the plan names it (中央预算内、省级专项、县本级、债券…).
    source TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (project_id, year)
);
CREATE INDEX project_investments_year ON project_investments(county, year);
