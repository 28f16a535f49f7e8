-- The checklist of an inspection or campaign, ticked per school: what each school has
-- checked (排查), when and by whom. A monthly inspection is done when its school has
-- checked every item.
CREATE TABLE safety_checks (
    id {{id}},
    county TEXT NOT NULL REFERENCES counties(code),
    inspection_id BIGINT NOT NULL REFERENCES safety_inspections(id),
    school_code TEXT NOT NULL REFERENCES schools(code),
    item TEXT NOT NULL,
    checked_on TEXT NOT NULL,
    checked_by TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    UNIQUE (inspection_id, school_code, item)
);
CREATE INDEX safety_checks_school ON safety_checks(county, school_code);
