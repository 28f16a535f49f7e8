-- The 双减 专项督查 runs on the hazard ledger's workflow: an inspection and the problems it
-- finds carry their area (安全 or 双减), so each area keeps its own lists and figures while
-- sharing the 整改 → 复查 → 销号 steps and the evidence files.
ALTER TABLE safety_inspections ADD COLUMN area TEXT NOT NULL DEFAULT '安全';
ALTER TABLE safety_hazards ADD COLUMN area TEXT NOT NULL DEFAULT '安全';
CREATE INDEX safety_hazards_area ON safety_hazards(county, area, found_on);
