-- 党建: party branches with their secretary (an account's username), the people in party
-- development with each stage reached and its date (the `party` import and the office's
-- form), and each branch's 三会一课 and 主题党日 log.

CREATE TABLE party_branches (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    name TEXT NOT NULL,
    secretary TEXT,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (county, name)
);
CREATE INDEX party_branches_secretary ON party_branches(county, secretary);

-- A person is named by ID number; the branch is the one of their latest stage.
CREATE TABLE party_people (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    id_number TEXT NOT NULL,
    name TEXT NOT NULL,
    branch_id BIGINT NOT NULL REFERENCES party_branches(id),
    UNIQUE (county, id_number)
);
CREATE INDEX party_people_branch ON party_people(county, branch_id);

-- One row per stage reached: the indicators count the persons reaching a stage in a year.
CREATE TABLE party_stages (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    person_id BIGINT NOT NULL REFERENCES party_people(id),
    stage TEXT NOT NULL,
    reached_on TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (county, person_id, stage)
);
CREATE INDEX party_stages_date ON party_stages(county, reached_on);

CREATE TABLE party_meetings (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    branch_id BIGINT NOT NULL REFERENCES party_branches(id),
    held_on TEXT NOT NULL,
    kind TEXT NOT NULL,
    topic TEXT NOT NULL,
    expected BIGINT NOT NULL,
    attended BIGINT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX party_meetings_branch ON party_meetings(county, branch_id, held_on);
