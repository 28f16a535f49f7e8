-- Issue #19: PostgreSQL only (its 0033 kept the old single-column keys as plain indexes;
-- SQLite's are still its keys). Nothing changes on SQLite.
SELECT 1;
