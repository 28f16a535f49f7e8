-- Imports of a county are serialised by a counter on the county row: an import notes the
-- counter before it reads, and its write transaction advances it only if nobody else did
-- in between (compare-and-set), so two imports running at once cannot both write what
-- they checked against the same old data.
ALTER TABLE counties ADD COLUMN import_seq BIGINT NOT NULL DEFAULT 0;
