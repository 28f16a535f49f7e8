//! Intake plans (招生计划) and applicants (报名学生).

use crate::sql::{insert_many, positional, Flag, Label, BATCH_ROWS};
use crate::{Db, Result, Tx};
use emis_domain::enrollment::{Applicant, PriorityCategory, SchoolCapacity};
use emis_domain::registry::{Grade, Sex};
use sqlx::AssertSqlSafe;

pub async fn plans(db: &Db, county: &str, year: i32, grade: Grade) -> Result<Vec<SchoolCapacity>> {
    #[derive(sqlx::FromRow)]
    struct Plan {
        school_code: String,
        classes: i64,
        class_size: i64,
    }
    let rows: Vec<Plan> = sqlx::query_as(
        "SELECT school_code, classes, class_size FROM intake_plans WHERE county = $1 AND year = $2 AND grade = $3 ORDER BY school_code",
    )
    .bind(county)
    .bind(i64::from(year))
    .bind(grade.label())
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SchoolCapacity {
            school_code: r.school_code,
            grade,
            classes: u32::try_from(r.classes).unwrap_or(0),
            class_size: u32::try_from(r.class_size).unwrap_or(0),
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

/// An applicant as stored: flags as 0/1, the priorities joined by 、, the score in tenths.
#[derive(sqlx::FromRow)]
struct ApplicantRow {
    id_number: String,
    name: String,
    #[sqlx(try_from = "Label")]
    sex: Sex,
    community_code: String,
    #[sqlx(try_from = "Flag")]
    hukou: bool,
    #[sqlx(try_from = "Flag")]
    property: bool,
    sibling_school: Option<String>,
    priority: String,
    score_tenths: Option<i64>,
}

impl From<ApplicantRow> for Applicant {
    fn from(r: ApplicantRow) -> Applicant {
        Applicant {
            id: r.id_number,
            name: r.name,
            sex: r.sex,
            community: r.community_code,
            hukou_in_zone: r.hukou,
            owns_property: r.property,
            sibling_at_school: r.sibling_school,
            priority: r
                .priority
                .split('、')
                .filter_map(PriorityCategory::parse)
                .collect(),
            score: r.score_tenths.map(|t| t as f64 / 10.0),
        }
    }
}

pub async fn applicants(db: &Db, county: &str, year: i32, grade: Grade) -> Result<Vec<Applicant>> {
    let rows: Vec<ApplicantRow> = sqlx::query_as(
        "SELECT id_number, name, sex, community_code, hukou, property, sibling_school, priority, score_tenths \
         FROM applicants WHERE county = $1 AND year = $2 AND grade = $3 ORDER BY id_number",
    )
    .bind(county)
    .bind(i64::from(year))
    .bind(grade.label())
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(Applicant::from).collect())
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
