-- Student aid (学生资助): the policy catalog per year (rules as JSON), proposals per school
-- and term with their lines (学校申报 → 乡镇审核 → 县资助中心审批, sent back with a reason),
-- disbursement batches, payments (the `aid` import) and hardship evidence (certificate
-- numbers, masked like ID numbers). Every table carries the county.

CREATE TABLE aid_policies (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    year BIGINT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    policy_json TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (county, year, code)
);

CREATE TABLE aid_proposals (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    school_code TEXT NOT NULL REFERENCES schools(code),
    township_code TEXT NOT NULL,
    term TEXT NOT NULL,
    status TEXT NOT NULL,
    sent_back_reason TEXT,
    proposed_by TEXT NOT NULL,
    proposed_at TEXT NOT NULL,
    checked_by TEXT,
    checked_at TEXT,
    approved_by TEXT,
    approved_at TEXT,
    UNIQUE (county, school_code, term)
);
CREATE INDEX aid_proposals_term ON aid_proposals(county, term, status);

CREATE TABLE aid_proposal_lines (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    proposal_id BIGINT NOT NULL REFERENCES aid_proposals(id),
    id_number TEXT NOT NULL,
    name TEXT NOT NULL,
    policy_code TEXT NOT NULL,
    fen BIGINT NOT NULL
);
CREATE INDEX aid_proposal_lines_proposal ON aid_proposal_lines(proposal_id);

CREATE TABLE aid_batches (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    proposal_id BIGINT NOT NULL REFERENCES aid_proposals(id),
    term TEXT NOT NULL,
    school_code TEXT NOT NULL,
    lines BIGINT NOT NULL,
    fen BIGINT NOT NULL,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX aid_batches_term ON aid_batches(county, term);

CREATE TABLE aid_payments (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    row_key TEXT NOT NULL,
    id_number TEXT NOT NULL,
    policy_code TEXT NOT NULL,
    term TEXT NOT NULL,
    fen BIGINT NOT NULL,
    paid_on TEXT,
    school_code TEXT,
    batch_id BIGINT,
    source TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    UNIQUE (county, row_key)
);
CREATE INDEX aid_payments_term ON aid_payments(county, term);
CREATE INDEX aid_payments_student ON aid_payments(county, id_number);

CREATE TABLE aid_evidence (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    id_number TEXT NOT NULL,
    kind TEXT NOT NULL,
    certificate_no TEXT NOT NULL,
    UNIQUE (county, id_number, kind)
);
