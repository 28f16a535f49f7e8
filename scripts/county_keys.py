#!/usr/bin/env python3
"""Writes crates/storage/migrations/0033_county_keys.postgres.sql (issue #19, item 3) from the
catalog of a PostgreSQL database migrated up to 0031/0032 (before 0033):

    python3 scripts/county_keys.py postgres://emis:emis@127.0.0.1:5432/emis_keys > \
        crates/storage/migrations/0033_county_keys.postgres.sql

It was run once; the committed SQL is what counts (a released migration is never edited).
Kept so that a reviewer can see where each statement came from.

Rules (docs/postgresql.md, "Citus"): every table with a `county` column that is neither a
reference table nor local to the coordinator (the lists below, also in
`emis_storage::citus`) is distributed by `county`, so
- its primary key leads with `county`: PRIMARY KEY (county, <old key>);
- each unique constraint without `county` becomes UNIQUE (county, <old columns>);
- each foreign key to another distributed table becomes
  FOREIGN KEY (county, <cols>) REFERENCES t (county, <ref cols>), same actions;
- the old key's columns stay as a plain (non-unique) index, so that the statements that
  address a row by its id alone (joins `s.id = e.student_id`, `UPDATE … WHERE id = $1`)
  read as fast as before.
"""

import subprocess
import sys

REFERENCE = {"counties", "schema_migrations", "aid_policies", "class_size_settings",
             "teacher_settings", "settings"}
LOCAL = {"login_throttle", "sessions", "users", "api_tokens"}


def rows(url, sql):
    out = subprocess.run(["psql", "-X", "-q", "-At", "-F", "\t", url, "-c", sql],
                         check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def cols(url, rel, attnums):
    return [rows(url, f"SELECT quote_ident(attname) FROM pg_attribute WHERE attrelid = {rel} AND attnum = {n}")[0][0]
            for n in attnums]


def main(url):
    county_tables = {r[0] for r in rows(url, """
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid
        WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attname = 'county'""")}
    distributed = county_tables - REFERENCE - LOCAL
    existing_indexes = {r[0] for r in rows(url, """
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind = 'i'""")}
    cons = rows(url, """
        SELECT k.conname, k.contype, c.relname, k.conrelid, array_to_string(k.conkey, ','),
               coalesce(p.relname, ''), k.confrelid, coalesce(array_to_string(k.confkey, ','), ''),
               k.confupdtype, k.confdeltype
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_class p ON p.oid = k.confrelid
        WHERE n.nspname = current_schema() AND k.contype IN ('p', 'u', 'f')
        ORDER BY c.relname, k.contype DESC, k.conname""")
    actions = {"a": "", "r": " RESTRICT", "c": " CASCADE", "n": " SET NULL", "d": " SET DEFAULT"}

    drop_fk, keys, add_fk = [], [], []
    for name, kind, table, rel, conkey, ref, refrel, confkey, upd, dele in cons:
        columns = cols(url, rel, conkey.split(","))
        if kind == "f":
            if ref not in distributed or table not in distributed | {"users"}:
                continue
            ref_columns = cols(url, refrel, confkey.split(","))
            if "county" in columns:
                continue
            if dele in "nd" or upd in "nd":
                sys.exit(f"{name}: SET NULL/SET DEFAULT would null the county; write it by hand")
            drop_fk.append(f"ALTER TABLE {table} DROP CONSTRAINT {name};")
            on = (f" ON UPDATE{actions[upd]}" if upd != "a" else "") + \
                 (f" ON DELETE{actions[dele]}" if dele != "a" else "")
            add_fk.append(f"ALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY (county, {', '.join(columns)}) "
                          f"REFERENCES {ref} (county, {', '.join(ref_columns)}){on};")
            continue
        if table not in distributed:
            continue
        if kind == "p":
            if columns[0] == "county":
                continue
            new = ["county"] + [c for c in columns if c != "county"]
            keys.append(f"ALTER TABLE {table} DROP CONSTRAINT {name}, ADD CONSTRAINT {name} PRIMARY KEY ({', '.join(new)});")
        else:
            if "county" in columns:
                continue
            new = ["county"] + columns
            new_name = f"{table}_county_{'_'.join(c.strip(chr(34)) for c in columns)}_key"
            if len(new_name) > 63:
                sys.exit(f"{new_name}: longer than 63 characters")
            keys.append(f"ALTER TABLE {table} DROP CONSTRAINT {name}, ADD CONSTRAINT {new_name} UNIQUE ({', '.join(new)});")
        index = f"{table}_{'_'.join(c.strip(chr(34)) for c in columns)}"
        if index in existing_indexes or len(index) > 63:
            sys.exit(f"{index}: name taken or too long")
        keys.append(f"CREATE INDEX {index} ON {table} ({', '.join(columns)});")

    print(HEADER.strip())
    print("\n-- 1. The foreign keys between distributed tables (and users -> org_units) go first: they")
    print("-- hang on the keys that change.")
    print("\n".join(drop_fk))
    print("\n-- 2. Primary keys lead with county; unique constraints include it. The old key's columns")
    print("-- stay as a plain index (rows are still addressed by id alone in places).")
    print("\n".join(keys))
    print("\n-- 3. The foreign keys again, each with county on both sides.")
    print("\n".join(add_fk))


HEADER = """
-- Issue #19, item 3: the schema distributable by county (Citus `create_distributed_table(t,
-- 'county')`, see docs/postgresql.md, "Citus"). Generated by scripts/county_keys.py from the
-- catalog of a database at migration 0031, then kept as written.
--
-- For every table with a county column except the reference tables (counties,
-- schema_migrations, aid_policies, class_size_settings, teacher_settings, settings) and the
-- tables local to the coordinator (users, sessions, api_tokens, login_throttle):
-- the primary key leads with county, every unique constraint includes it, and every
-- foreign key to another such table is (county, x_id) REFERENCES x (county, id). A key to a
-- reference table (`county REFERENCES counties (code)`) stays as it was. users (local)
-- keeps its key to its org unit as (county, org_code) REFERENCES org_units (county, code);
-- Citus does not take a key from a local table into a distributed one, so it is dropped
-- there before distributing (docs/postgresql.md).
--
-- Ids stay identity columns, unique by themselves as before. The storage code needs no
-- change beyond its ON CONFLICT targets, which name the new keys.
--
-- SQLite (0033_county_keys.sqlite.sql) keeps its keys: a SQLite file is one county.
"""

if __name__ == "__main__":
    main(sys.argv[1])
