-- Issue #20: what the national 学籍 export holds about a student beyond our own template.
-- A student without a 居民身份证 is keyed in `id_number` by type and number (`A:E12345678`,
-- or `Z#` and the 学籍辅号 for a `Z-其他` without a number): see emis_domain::national.
-- NULL where the sheet did not say.
ALTER TABLE students ADD COLUMN left_behind TEXT;
ALTER TABLE students ADD COLUMN migrant BIGINT;
ALTER TABLE students ADD COLUMN orphan BIGINT;
ALTER TABLE students ADD COLUMN household_type TEXT;
ALTER TABLE students ADD COLUMN overseas TEXT;
ALTER TABLE students ADD COLUMN nationality TEXT;
ALTER TABLE students ADD COLUMN aux_no TEXT;
