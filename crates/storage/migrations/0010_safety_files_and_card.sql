-- 十有 evidence as uploaded files (photos, PDF): the file is kept by content hash in the data
-- folder, only its metadata here; one item may have several files.
CREATE TABLE ten_have_files (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    year BIGINT NOT NULL,
    org_code TEXT NOT NULL REFERENCES org_units(code),
    item TEXT NOT NULL,
    file_name TEXT NOT NULL,
    stored_name TEXT NOT NULL,
    mime TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL
);
CREATE INDEX ten_have_files_org ON ten_have_files(county, year, org_code);

-- The home page's safety card counts the roll of a term by status from this index alone
-- (no table rows read), and finds the few students who left the roll.
CREATE INDEX enrollments_term_status ON enrollments(county, term, status, school_code);
