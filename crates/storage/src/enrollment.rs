//! 招生与班额 storage: class-size settings, capacity, the large-class ledger, communities,
//! zones, distances, intake plans, applicants, allocation runs and balanced classes.
//! Every query is limited to one county; pure rules stay in `emis_domain`.

use crate::sql::{insert_many, positional, BATCH_ROWS};
use crate::{Db, Result, Tx};
use emis_domain::class_size::ClassSizeRules;
use emis_domain::enrollment::{
    Applicant, Community, DistanceEntry, Distances, Placement, PriorityCategory, SchoolCapacity,
    Zone,
};
use emis_domain::registry::{Grade, Sex};
use sqlx::{AssertSqlSafe, Row};
use std::collections::BTreeMap;

// ---- Settings ----

/// The county's class-size rules (RULES.md defaults when none are stored).
pub async fn settings(db: &Db, county: &str) -> Result<ClassSizeRules> {
    let row: Option<String> =
        sqlx::query_scalar("SELECT rules_json FROM class_size_settings WHERE county = $1")
            .bind(county)
            .fetch_optional(db.pool())
            .await?;
    Ok(row
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default())
}

pub async fn save_settings(
    tx: &mut Tx,
    county: &str,
    rules: &ClassSizeRules,
    by: &str,
) -> Result<()> {
    sqlx::query("DELETE FROM class_size_settings WHERE county = $1")
        .bind(county)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO class_size_settings (county, rules_json, updated_at, updated_by) VALUES ($1, $2, $3, $4)",
    )
    .bind(county)
    .bind(serde_json::to_string(rules).unwrap_or_default())
    .bind(crate::now_text())
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

// ---- Capacity ----

/// Classrooms per (school, grade) of the county.
pub async fn classrooms(db: &Db, county: &str) -> Result<BTreeMap<(String, String), i64>> {
    let rows =
        sqlx::query("SELECT school_code, grade, classrooms FROM school_capacity WHERE county = $1")
            .bind(county)
            .fetch_all(db.pool())
            .await?;
    Ok(rows
        .iter()
        .map(|r| ((r.get(0), r.get(1)), r.get(2)))
        .collect())
}

/// Sets classrooms for (school, grade) rows (replacing what was there).
pub async fn set_classrooms(
    tx: &mut Tx,
    county: &str,
    rows: &[(String, Grade, u32)],
) -> Result<()> {
    for (school, grade, _) in rows {
        sqlx::query("DELETE FROM school_capacity WHERE school_code = $1 AND grade = $2")
            .bind(school)
            .bind(grade.label())
            .execute(&mut **tx)
            .await?;
    }
    insert_many(
        tx,
        "school_capacity",
        &["county", "school_code", "grade", "classrooms"],
        "",
        rows,
        |q, (s, g, n)| q.bind(county).bind(s).bind(g.label()).bind(i64::from(*n)),
    )
    .await
}

// ---- Large-class ledger ----

#[derive(Clone, Debug, serde::Serialize)]
pub struct LedgerEntry {
    pub id: i64,
    pub class_id: i64,
    pub term: String,
    pub school_code: String,
    pub school_name: String,
    pub township_code: String,
    pub grade: String,
    pub class_number: i64,
    pub size_at_entry: i64,
    pub plan: String,
    pub owner: String,
    pub target_date: Option<String>,
    pub closed_on: Option<String>,
}

/// The ledger of the county, oldest entries first.
pub async fn ledger(db: &Db, county: &str) -> Result<Vec<LedgerEntry>> {
    let rows = sqlx::query(
        "SELECT l.id, l.class_id, l.term, l.school_code, sc.name, sc.township_code, l.grade, l.class_number, \
         l.size_at_entry, l.plan, l.owner, l.target_date, l.closed_on \
         FROM large_class_ledger l JOIN schools sc ON sc.code = l.school_code WHERE l.county = $1 \
         ORDER BY l.term, l.school_code, l.grade, l.class_number",
    )
    .bind(county)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| LedgerEntry {
            id: r.get(0),
            class_id: r.get(1),
            term: r.get(2),
            school_code: r.get(3),
            school_name: r.get(4),
            township_code: r.get(5),
            grade: r.get(6),
            class_number: r.get(7),
            size_at_entry: r.get(8),
            plan: r.get(9),
            owner: r.get(10),
            target_date: r.get(11),
            closed_on: r.get(12),
        })
        .collect())
}

pub struct NewLedgerEntry {
    pub class_id: i64,
    pub term: String,
    pub school_code: String,
    pub grade: String,
    pub class_number: i64,
    pub size: i64,
    pub plan: String,
    pub owner: String,
    pub target_date: Option<String>,
}

/// Adds entries, skipping classes already in the ledger; returns how many were added.
pub async fn add_ledger_entries(
    tx: &mut Tx,
    county: &str,
    entries: &[NewLedgerEntry],
) -> Result<usize> {
    let existing: Vec<i64> =
        sqlx::query_scalar("SELECT class_id FROM large_class_ledger WHERE county = $1")
            .bind(county)
            .fetch_all(&mut **tx)
            .await?;
    let existing: std::collections::HashSet<i64> = existing.into_iter().collect();
    let now = crate::now_text();
    let fresh: Vec<&NewLedgerEntry> = entries
        .iter()
        .filter(|e| !existing.contains(&e.class_id))
        .collect();
    insert_many(
        tx,
        "large_class_ledger",
        &[
            "county",
            "class_id",
            "term",
            "school_code",
            "grade",
            "class_number",
            "size_at_entry",
            "plan",
            "owner",
            "target_date",
            "closed_on",
            "created_at",
        ],
        "",
        &fresh,
        |q, e| {
            q.bind(county)
                .bind(e.class_id)
                .bind(&e.term)
                .bind(&e.school_code)
                .bind(&e.grade)
                .bind(e.class_number)
                .bind(e.size)
                .bind(&e.plan)
                .bind(&e.owner)
                .bind(&e.target_date)
                .bind(None::<String>)
                .bind(&now)
        },
    )
    .await?;
    let added = fresh.len();
    Ok(added)
}

/// Updates an entry's plan, owner, target date and closing (销号) date.
pub async fn update_ledger_entry(
    tx: &mut Tx,
    county: &str,
    id: i64,
    plan: &str,
    owner: &str,
    target_date: Option<&str>,
    closed_on: Option<&str>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE large_class_ledger SET plan = $1, owner = $2, target_date = $3, closed_on = $4 WHERE id = $5 AND county = $6",
    )
    .bind(plan)
    .bind(owner)
    .bind(target_date)
    .bind(closed_on)
    .bind(id)
    .bind(county)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}

// ---- Communities, zones, distances, plans ----

pub async fn communities(db: &Db, county: &str) -> Result<Vec<Community>> {
    let rows = sqlx::query(
        "SELECT code, name, township_code FROM communities WHERE county = $1 ORDER BY code",
    )
    .bind(county)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| Community {
            code: r.get(0),
            name: r.get(1),
            township_code: r.get(2),
        })
        .collect())
}

/// Adds or renames communities.
pub async fn upsert_communities(tx: &mut Tx, county: &str, list: &[Community]) -> Result<()> {
    for c in list {
        sqlx::query("DELETE FROM communities WHERE county = $1 AND code = $2")
            .bind(county)
            .bind(&c.code)
            .execute(&mut **tx)
            .await?;
    }
    insert_many(
        tx,
        "communities",
        &["county", "code", "name", "township_code"],
        "",
        list,
        |q, c| {
            q.bind(county)
                .bind(&c.code)
                .bind(&c.name)
                .bind(&c.township_code)
        },
    )
    .await
}

/// Zones of a year and grade, by school code.
pub async fn zones(db: &Db, county: &str, year: i32, grade: Grade) -> Result<Vec<Zone>> {
    let rows = sqlx::query(
        "SELECT school_code, community_code FROM zones WHERE county = $1 AND year = $2 AND grade = $3 ORDER BY school_code, community_code",
    )
    .bind(county)
    .bind(i64::from(year))
    .bind(grade.label())
    .fetch_all(db.pool())
    .await?;
    let mut by_school: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in &rows {
        by_school.entry(r.get(0)).or_default().push(r.get(1));
    }
    Ok(by_school
        .into_iter()
        .map(|(school_code, communities)| Zone {
            school_code,
            grade,
            communities,
        })
        .collect())
}

/// Replaces the zones of a year and grade.
pub async fn replace_zones(
    tx: &mut Tx,
    county: &str,
    year: i32,
    grade: Grade,
    zones: &[Zone],
) -> Result<()> {
    sqlx::query("DELETE FROM zones WHERE county = $1 AND year = $2 AND grade = $3")
        .bind(county)
        .bind(i64::from(year))
        .bind(grade.label())
        .execute(&mut **tx)
        .await?;
    let mut rows: Vec<(&str, &str)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for z in zones {
        for c in &z.communities {
            if seen.insert(c.clone()) {
                rows.push((c, &z.school_code));
            }
        }
    }
    insert_many(
        tx,
        "zones",
        &["county", "year", "grade", "community_code", "school_code"],
        "",
        &rows,
        |q, (community, school)| {
            q.bind(county)
                .bind(i64::from(year))
                .bind(grade.label())
                .bind(*community)
                .bind(*school)
        },
    )
    .await
}

pub async fn distances(db: &Db, county: &str) -> Result<Distances> {
    let rows =
        sqlx::query("SELECT community_code, school_code, metres FROM distances WHERE county = $1")
            .bind(county)
            .fetch_all(db.pool())
            .await?;
    Ok(rows
        .iter()
        .map(|r| DistanceEntry {
            community: r.get(0),
            school_code: r.get(1),
            metres: u32::try_from(r.get::<i64, _>(2)).unwrap_or(u32::MAX),
        })
        .collect::<Vec<_>>()
        .into())
}

/// Sets distances (a later value for the same pair replaces the earlier one).
pub async fn upsert_distances(tx: &mut Tx, county: &str, rows: &[DistanceEntry]) -> Result<()> {
    for d in rows {
        sqlx::query(
            "DELETE FROM distances WHERE county = $1 AND community_code = $2 AND school_code = $3",
        )
        .bind(county)
        .bind(&d.community)
        .bind(&d.school_code)
        .execute(&mut **tx)
        .await?;
    }
    insert_many(
        tx,
        "distances",
        &["county", "community_code", "school_code", "metres"],
        "",
        rows,
        |q, d| {
            q.bind(county)
                .bind(&d.community)
                .bind(&d.school_code)
                .bind(i64::from(d.metres))
        },
    )
    .await
}

/// Removes every distance of the county (before a full re-import of the table).
pub async fn clear_distances(tx: &mut Tx, county: &str) -> Result<()> {
    sqlx::query("DELETE FROM distances WHERE county = $1")
        .bind(county)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn plans(db: &Db, county: &str, year: i32, grade: Grade) -> Result<Vec<SchoolCapacity>> {
    let rows = sqlx::query(
        "SELECT school_code, classes, class_size FROM intake_plans WHERE county = $1 AND year = $2 AND grade = $3 ORDER BY school_code",
    )
    .bind(county)
    .bind(i64::from(year))
    .bind(grade.label())
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| SchoolCapacity {
            school_code: r.get(0),
            grade,
            classes: u32::try_from(r.get::<i64, _>(1)).unwrap_or(0),
            class_size: u32::try_from(r.get::<i64, _>(2)).unwrap_or(0),
        })
        .collect())
}

/// Sets a school's intake plan (classes × class size) for a year and grade.
pub async fn set_plans(
    tx: &mut Tx,
    county: &str,
    year: i32,
    plans: &[SchoolCapacity],
) -> Result<()> {
    for p in plans {
        sqlx::query(
            "DELETE FROM intake_plans WHERE county = $1 AND year = $2 AND grade = $3 AND school_code = $4",
        )
        .bind(county)
        .bind(i64::from(year))
        .bind(p.grade.label())
        .bind(&p.school_code)
        .execute(&mut **tx)
        .await?;
    }
    insert_many(
        tx,
        "intake_plans",
        &[
            "county",
            "year",
            "grade",
            "school_code",
            "classes",
            "class_size",
        ],
        "",
        plans,
        |q, p| {
            q.bind(county)
                .bind(i64::from(year))
                .bind(p.grade.label())
                .bind(&p.school_code)
                .bind(i64::from(p.classes))
                .bind(i64::from(p.class_size))
        },
    )
    .await
}

// ---- Applicants ----

pub async fn applicants(db: &Db, county: &str, year: i32, grade: Grade) -> Result<Vec<Applicant>> {
    let rows = sqlx::query(
        "SELECT id_number, name, sex, community_code, hukou, property, sibling_school, priority, score_tenths \
         FROM applicants WHERE county = $1 AND year = $2 AND grade = $3 ORDER BY id_number",
    )
    .bind(county)
    .bind(i64::from(year))
    .bind(grade.label())
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| Applicant {
            id: r.get(0),
            name: r.get(1),
            sex: Sex::parse(r.get::<String, _>(2).as_str()).unwrap_or(Sex::Male),
            community: r.get(3),
            hukou_in_zone: r.get::<i64, _>(4) != 0,
            owns_property: r.get::<i64, _>(5) != 0,
            sibling_at_school: r.get(6),
            priority: r
                .get::<String, _>(7)
                .split('、')
                .filter_map(PriorityCategory::parse)
                .collect(),
            score: r.get::<Option<i64>, _>(8).map(|t| t as f64 / 10.0),
        })
        .collect())
}

/// Adds or replaces applicants (by ID number) for a year and grade.
pub async fn upsert_applicants(
    tx: &mut Tx,
    county: &str,
    year: i32,
    grade: Grade,
    list: &[Applicant],
) -> Result<()> {
    let positional = positional(tx);
    for chunk in list.chunks(BATCH_ROWS) {
        let placeholders = if positional {
            vec!["?"; chunk.len()].join(", ")
        } else {
            (0..chunk.len())
                .map(|i| format!("${}", i + 4))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (a, b, c) = if positional {
            ("?", "?", "?")
        } else {
            ("$1", "$2", "$3")
        };
        let sql = format!(
            "DELETE FROM applicants WHERE county = {a} AND year = {b} AND grade = {c} AND id_number IN ({placeholders})"
        );
        let mut q = sqlx::query(AssertSqlSafe(sql))
            .bind(county)
            .bind(i64::from(year))
            .bind(grade.label());
        for x in chunk {
            q = q.bind(x.id.clone());
        }
        q.execute(&mut **tx).await?;
    }
    insert_many(
        tx,
        "applicants",
        &[
            "county",
            "year",
            "grade",
            "id_number",
            "name",
            "sex",
            "community_code",
            "hukou",
            "property",
            "sibling_school",
            "priority",
            "score_tenths",
        ],
        "",
        list,
        |q, x| {
            q.bind(county)
                .bind(i64::from(year))
                .bind(grade.label())
                .bind(&x.id)
                .bind(&x.name)
                .bind(x.sex.label())
                .bind(&x.community)
                .bind(i64::from(x.hukou_in_zone))
                .bind(i64::from(x.owns_property))
                .bind(&x.sibling_at_school)
                .bind(
                    x.priority
                        .iter()
                        .map(|p| p.label())
                        .collect::<Vec<_>>()
                        .join("、"),
                )
                .bind(
                    x.score
                        .filter(|s| s.is_finite())
                        .map(|s| (s * 10.0).round() as i64),
                )
        },
    )
    .await
}

// ---- Allocation runs ----

#[derive(Clone, Debug, serde::Serialize)]
pub struct RunRow {
    pub id: i64,
    pub year: i64,
    pub grade: String,
    pub name: String,
    pub changes_json: String,
    pub applicants: i64,
    pub placed: i64,
    pub unplaced: i64,
    pub created_by: String,
    pub created_at: String,
    pub published: bool,
    pub published_at: Option<String>,
}

const RUN_COLUMNS: &str = "id, year, grade, name, changes_json, applicants, placed, unplaced, created_by, created_at, published, published_at";

fn run_from(r: &sqlx::any::AnyRow) -> RunRow {
    RunRow {
        id: r.get(0),
        year: r.get(1),
        grade: r.get(2),
        name: r.get(3),
        changes_json: r.get(4),
        applicants: r.get(5),
        placed: r.get(6),
        unplaced: r.get(7),
        created_by: r.get(8),
        created_at: r.get(9),
        published: r.get::<i64, _>(10) != 0,
        published_at: r.get(11),
    }
}

pub async fn runs(db: &Db, county: &str) -> Result<Vec<RunRow>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {RUN_COLUMNS} FROM allocation_runs WHERE county = $1 ORDER BY id DESC"
    )))
    .bind(county)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(run_from).collect())
}

/// A run and its full result (JSON of `AllocationResult`).
pub async fn run(db: &Db, county: &str, id: i64) -> Result<Option<(RunRow, String)>> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {RUN_COLUMNS}, result_json FROM allocation_runs WHERE county = $1 AND id = $2"
    )))
    .bind(county)
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|r| (run_from(&r), r.get(12))))
}

pub struct NewRun<'a> {
    pub year: i32,
    pub grade: Grade,
    pub name: &'a str,
    pub changes_json: String,
    pub result_json: String,
    pub applicants: i64,
    pub placed: i64,
    pub unplaced: i64,
    pub created_by: &'a str,
    pub published: bool,
}

/// Stores a run with its placements; returns its id.
pub async fn insert_run(
    tx: &mut Tx,
    county: &str,
    run: NewRun<'_>,
    placements: &[Placement],
) -> Result<i64> {
    let now = crate::now_text();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO allocation_runs (county, year, grade, name, changes_json, result_json, applicants, placed, unplaced, created_by, created_at, published, published_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(county)
    .bind(i64::from(run.year))
    .bind(run.grade.label())
    .bind(run.name)
    .bind(run.changes_json)
    .bind(run.result_json)
    .bind(run.applicants)
    .bind(run.placed)
    .bind(run.unplaced)
    .bind(run.created_by)
    .bind(now.clone())
    .bind(i64::from(run.published))
    .bind(run.published.then_some(now))
    .fetch_one(&mut **tx)
    .await?;
    insert_many(
        tx,
        "placements",
        &[
            "run_id",
            "county",
            "id_number",
            "school_code",
            "kind",
            "rank",
            "zone_school",
            "distance_m",
            "reason",
        ],
        "",
        placements,
        |q, p| {
            q.bind(id)
                .bind(county)
                .bind(&p.applicant_id)
                .bind(&p.school_code)
                .bind(p.kind.label())
                .bind(i64::from(p.rank.ordinal()))
                .bind(&p.zone_school)
                .bind(p.distance_m.map(i64::from))
                .bind(&p.reason)
        },
    )
    .await?;
    Ok(id)
}

/// Publishes a run: the only published one of its year and grade.
pub async fn publish_run(tx: &mut Tx, county: &str, id: i64, year: i64, grade: &str) -> Result<()> {
    sqlx::query(
        "UPDATE allocation_runs SET published = 0, published_at = NULL WHERE county = $1 AND year = $2 AND grade = $3",
    )
    .bind(county)
    .bind(year)
    .bind(grade)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE allocation_runs SET published = 1, published_at = $1 WHERE county = $2 AND id = $3",
    )
    .bind(crate::now_text())
    .bind(county)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct PlacementRow {
    pub id_number: String,
    pub name: String,
    pub community: String,
    pub school_code: Option<String>,
    pub kind: String,
    pub rank: i64,
    pub zone_school: Option<String>,
    pub distance_m: Option<i64>,
    pub reason: String,
}

/// Placements of a run, optionally one school's or one name's, at most `limit` rows.
pub async fn placements(
    db: &Db,
    county: &str,
    run_id: i64,
    year: i64,
    grade: &str,
    school: Option<&str>,
    limit: i64,
) -> Result<Vec<PlacementRow>> {
    let mut sql = crate::sql::Sql::new(
        "SELECT p.id_number, COALESCE(a.name, ''), COALESCE(a.community_code, ''), p.school_code, p.kind, p.rank, p.zone_school, p.distance_m, p.reason \
         FROM placements p LEFT JOIN applicants a ON a.county = p.county AND a.id_number = p.id_number AND a.year = ",
    );
    sql.bind_int(year)
        .push(" AND a.grade = ")
        .bind_text(grade)
        .push(" WHERE p.run_id = ")
        .bind_int(run_id)
        .push(" AND p.county = ")
        .bind_text(county);
    if let Some(s) = school {
        sql.push(" AND p.school_code = ").bind_text(s);
    }
    sql.push(" ORDER BY p.school_code, p.rank, p.id_number LIMIT ")
        .bind_int(limit);
    Ok(sql
        .fetch_all(db)
        .await?
        .iter()
        .map(|r| PlacementRow {
            id_number: r.get(0),
            name: r.get(1),
            community: r.get(2),
            school_code: r.get(3),
            kind: r.get(4),
            rank: r.get(5),
            zone_school: r.get(6),
            distance_m: r.get(7),
            reason: r.get(8),
        })
        .collect())
}

// ---- Balanced classes ----

#[derive(Clone, Debug, serde::Serialize)]
pub struct BalancedRow {
    pub id: i64,
    pub run_id: i64,
    pub school_code: String,
    pub grade: String,
    pub class_size: i64,
    pub seed: String,
    pub classes_json: String,
    pub created_by: String,
    pub created_at: String,
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_balanced(
    tx: &mut Tx,
    county: &str,
    run_id: i64,
    school_code: &str,
    grade: Grade,
    class_size: u32,
    seed: u64,
    classes: &[Vec<String>],
    by: &str,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO balanced_classes (county, run_id, school_code, grade, class_size, seed, classes_json, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(county)
    .bind(run_id)
    .bind(school_code)
    .bind(grade.label())
    .bind(i64::from(class_size))
    .bind(seed.to_string())
    .bind(serde_json::to_string(classes).unwrap_or_default())
    .bind(by)
    .bind(crate::now_text())
    .fetch_one(&mut **tx)
    .await?)
}

/// Balanced-class results of a run (every school, or one), newest first.
pub async fn balanced(
    db: &Db,
    county: &str,
    run_id: i64,
    school: Option<&str>,
) -> Result<Vec<BalancedRow>> {
    let mut sql = crate::sql::Sql::new(
        "SELECT id, run_id, school_code, grade, class_size, seed, classes_json, created_by, created_at FROM balanced_classes WHERE county = ",
    );
    sql.bind_text(county)
        .push(" AND run_id = ")
        .bind_int(run_id);
    if let Some(s) = school {
        sql.push(" AND school_code = ").bind_text(s);
    }
    sql.push(" ORDER BY school_code, id DESC");
    Ok(sql
        .fetch_all(db)
        .await?
        .iter()
        .map(|r| BalancedRow {
            id: r.get(0),
            run_id: r.get(1),
            school_code: r.get(2),
            grade: r.get(3),
            class_size: r.get(4),
            seed: r.get(5),
            classes_json: r.get(6),
            created_by: r.get(7),
            created_at: r.get(8),
        })
        .collect())
}

// ---- Class sizes for the monitor ----

/// Every class of a term in scope with its size (students 在读), in no particular order:
/// the monitor groups them itself, so neither the database nor Rust sorts 4,000 rows.
pub async fn class_sizes(
    db: &Db,
    scope: &emis_domain::access::Scope,
    term: &str,
) -> Result<Vec<crate::lists::ClassRow>> {
    use emis_domain::access::Scope;
    let mut sql = crate::sql::Sql::new(
        "SELECT c.id, c.school_code, sc.name, sc.school_type, c.grade, c.number, \
         CAST((SELECT COUNT(*) FROM enrollments e WHERE e.class_id = c.id AND e.status = '在读') AS BIGINT) AS size \
         FROM classes c JOIN schools sc ON sc.code = c.school_code WHERE c.county = ",
    );
    sql.bind_text(scope.county())
        .push(" AND c.term = ")
        .bind_text(term);
    crate::lists::scope_filter(&mut sql, scope, "c.school_code");
    if let Scope::Class { grade, number, .. } = scope {
        sql.push(" AND c.grade = ")
            .bind_text(grade.label())
            .push(" AND c.number = ")
            .bind_int(i64::from(*number));
    }
    Ok(sql
        .fetch_all(db)
        .await?
        .iter()
        .map(|r| crate::lists::ClassRow {
            id: r.get(0),
            school_code: r.get(1),
            school_name: r.get(2),
            school_type: r.get(3),
            grade: r.get(4),
            number: r.get(5),
            size: r.get(6),
        })
        .collect())
}
