-- Issue #18: the office (股室) a county officer works in: 资助中心, 安全, 人事 … (the names of
-- emis_domain::access::OFFICES). Only an officer of a section's office (or an administrator)
-- drafts that section of the annual summary. NULL: no office (every other role, and officers
-- not yet assigned one).
ALTER TABLE users ADD COLUMN office TEXT;
