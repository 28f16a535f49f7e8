-- The 文号 a campaign (专项行动, 专项督查, 督导检查) or a year's assessment scheme is issued
-- under, in its one spelling (溆教发〔2021〕45号); the document's page lists them.
ALTER TABLE safety_inspections ADD COLUMN document TEXT;
ALTER TABLE assessment_schemes ADD COLUMN document TEXT;
