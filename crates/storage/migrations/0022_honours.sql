-- 荣誉与竞赛 (the `honours` import and the offices' form): one register for schools,
-- teachers, students and teams. `subject_key` is the school's code, the person's ID number
-- or the team's name; `event` is '' when the honour names none, so that the same honour
-- recorded twice is one row.

CREATE TABLE honours (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    subject_kind TEXT NOT NULL,
    subject_key TEXT NOT NULL,
    -- The school the honour belongs to (a person's at the time, a team's if named).
    school_code TEXT REFERENCES schools(code),
    person_name TEXT,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    level TEXT NOT NULL,
    granted_by TEXT NOT NULL,
    granted_on TEXT NOT NULL,
    prize TEXT,
    event TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (county, subject_kind, subject_key, title, event, granted_on)
);
CREATE INDEX honours_date ON honours(county, granted_on);
CREATE INDEX honours_school ON honours(county, school_code);
