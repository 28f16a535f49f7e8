-- 控辍保学: an officer's decision on a probable match (疑似匹配): the child of the
-- population roll (person_id_number) is, or is not, the roll student candidate_id.
-- Kept per county so that later snapshots' comparisons apply it instead of asking again.
CREATE TABLE dropout_match_decisions (
    county TEXT NOT NULL REFERENCES counties(code),
    person_id_number TEXT NOT NULL,
    candidate_id TEXT NOT NULL,
    decision TEXT NOT NULL,
    case_id BIGINT REFERENCES dropout_cases(id),
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (county, person_id_number, candidate_id)
);
