-- 转学: a transfer to another school waits (待接收) until the receiving school (or the
-- county) accepts it into one of its classes, or declines it with a reason; the student
-- stays on the sending school's roll until accepted.
CREATE TABLE pending_transfers (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    student_id BIGINT NOT NULL REFERENCES students(id),
    term TEXT NOT NULL,
    from_school TEXT NOT NULL REFERENCES schools(code),
    from_class BIGINT NOT NULL,
    to_school TEXT NOT NULL REFERENCES schools(code),
    grade TEXT NOT NULL,
    class_number BIGINT NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    decline_reason TEXT
);
CREATE INDEX pending_transfers_to ON pending_transfers(county, status, to_school);
CREATE INDEX pending_transfers_student ON pending_transfers(student_id, term, status);
