-- Teacher workforce (教师队伍): the county's staffing standard and continuing-education
-- requirement (settings), the year's recruitment plan, trainings and their participants
-- (the `trainings` import), 公费定向师范生 (`funded-normal`), studios with members and
-- activities (`studios`), awards with their workflow and the year's fund (`awards`), and
-- conduct campaigns and cases. People are named by ID number, as on the staff roll.
-- Hours are tenths of an hour, money is fen, dates are ISO text.

CREATE TABLE teacher_settings (
    county TEXT PRIMARY KEY REFERENCES counties(code),
    staffing_json TEXT NOT NULL,
    hours_json TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE recruitment_plans (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    year BIGINT NOT NULL,
    channel TEXT NOT NULL,
    stage TEXT NOT NULL,
    subject TEXT NOT NULL,
    planned BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (county, year, channel, stage, subject)
);

CREATE TABLE trainings (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    source TEXT NOT NULL,
    UNIQUE (county, name, start_date)
);
CREATE INDEX trainings_start ON trainings(county, start_date);

CREATE TABLE training_participants (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    training_id BIGINT NOT NULL REFERENCES trainings(id),
    id_number TEXT NOT NULL,
    hours BIGINT NOT NULL,
    completed BIGINT NOT NULL,
    UNIQUE (training_id, id_number)
);
CREATE INDEX training_participants_person ON training_participants(county, id_number);

CREATE TABLE funded_trainees (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    id_number TEXT NOT NULL,
    name TEXT NOT NULL,
    selection_year BIGINT NOT NULL,
    source TEXT NOT NULL,
    institution TEXT NOT NULL,
    stage TEXT NOT NULL,
    subject TEXT,
    township_code TEXT,
    expected_graduation BIGINT NOT NULL,
    service_years BIGINT NOT NULL,
    UNIQUE (county, id_number)
);
CREATE INDEX funded_trainees_year ON funded_trainees(county, selection_year);

CREATE TABLE studios (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT,
    host_id_number TEXT NOT NULL,
    founded_on TEXT NOT NULL,
    closed_on TEXT,
    UNIQUE (county, name)
);

CREATE TABLE studio_members (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    studio_id BIGINT NOT NULL REFERENCES studios(id),
    id_number TEXT NOT NULL,
    UNIQUE (studio_id, id_number)
);
CREATE INDEX studio_members_person ON studio_members(county, id_number);

CREATE TABLE studio_activities (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    studio_id BIGINT NOT NULL REFERENCES studios(id),
    held_on TEXT NOT NULL,
    title TEXT NOT NULL,
    participants BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX studio_activities_studio ON studio_activities(studio_id, held_on);

CREATE TABLE award_funds (
    county TEXT NOT NULL REFERENCES counties(code),
    year BIGINT NOT NULL,
    fen BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (county, year)
);

CREATE TABLE awards (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    id_number TEXT NOT NULL,
    name TEXT NOT NULL,
    school_code TEXT NOT NULL,
    township_code TEXT NOT NULL,
    title TEXT NOT NULL,
    granting_body TEXT NOT NULL,
    year BIGINT NOT NULL,
    granted_on TEXT,
    fen BIGINT NOT NULL,
    status TEXT NOT NULL,
    merits TEXT NOT NULL,
    conduct_flag TEXT,
    sent_back_reason TEXT,
    proposed_by TEXT NOT NULL,
    proposed_at TEXT NOT NULL,
    checked_by TEXT,
    checked_at TEXT,
    granted_by TEXT,
    granted_at TEXT,
    UNIQUE (county, id_number, title, year)
);
CREATE INDEX awards_year ON awards(county, year, status);

CREATE TABLE conduct_campaigns (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    name TEXT NOT NULL,
    started_on TEXT NOT NULL,
    summary TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (county, name)
);

CREATE TABLE conduct_cases (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    id_number TEXT NOT NULL,
    name TEXT NOT NULL,
    school_code TEXT NOT NULL,
    campaign_id BIGINT REFERENCES conduct_campaigns(id),
    reported_on TEXT NOT NULL,
    source TEXT NOT NULL,
    summary TEXT NOT NULL,
    status TEXT NOT NULL,
    findings TEXT,
    sanction TEXT,
    decided_on TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX conduct_cases_person ON conduct_cases(county, id_number);

-- A teacher's moves between schools, written when a staff import changes their school.
CREATE TABLE staff_moves (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    id_number TEXT NOT NULL,
    from_school TEXT NOT NULL,
    to_school TEXT NOT NULL,
    moved_at TEXT NOT NULL,
    source TEXT NOT NULL
);
CREATE INDEX staff_moves_person ON staff_moves(county, id_number);
