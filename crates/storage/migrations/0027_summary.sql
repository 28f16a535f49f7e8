-- 年度工作总结: each section of a year's summary as its office drafts it (the template text of
-- one heading and its paragraphs, figures as placeholders), and the published versions, each
-- with the whole text and its figures frozen as JSON on the day of publication: later record
-- changes do not change what was published.

CREATE TABLE summary_sections (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    year BIGINT NOT NULL,
    position BIGINT NOT NULL,
    office TEXT NOT NULL,
    source TEXT NOT NULL,
    -- 起草中 / 已提交 / 已退回
    status TEXT NOT NULL,
    note TEXT,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (county, year, position)
);

CREATE TABLE summary_versions (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    year BIGINT NOT NULL,
    version BIGINT NOT NULL,
    template TEXT NOT NULL,
    figures_json TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    published_by TEXT NOT NULL,
    published_at TEXT NOT NULL,
    UNIQUE (county, year, version)
);
