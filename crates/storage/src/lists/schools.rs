//! Schools and classes as lists.

use super::*;

#[derive(Clone, Debug, Default)]
pub struct SchoolQuery {
    pub q: Option<String>,
    pub township: Option<String>,
    pub school_type: Option<String>,
    pub sort: Option<String>,
    pub desc: bool,
    pub page: i64,
    pub per_page: i64,
    /// The term whose roll sizes are shown.
    pub term: String,
}

#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct SchoolRow {
    pub code: String,
    pub name: String,
    pub school_type: String,
    pub township_code: String,
    pub township_name: String,
    pub urban_rural: String,
    pub ownership: String,
    #[sqlx(try_from = "Flag")]
    pub boarding: bool,
    pub students: i64,
    pub classes: i64,
}

fn school_where(sql: &mut Sql, scope: &Scope, q: &SchoolQuery) {
    sql.push(" WHERE sc.county = ").bind_text(scope.county());
    scope_filter(sql, scope, "sc.code");
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        sql.push(" AND (sc.name LIKE ")
            .bind_text(format!("%{text}%"))
            .push(" OR sc.code = ")
            .bind_text(text)
            .push(")");
    }
    if let Some(t) = &q.township {
        sql.push(" AND sc.township_code = ").bind_text(t.clone());
    }
    if let Some(t) = &q.school_type {
        sql.push(" AND sc.school_type = ").bind_text(t.clone());
    }
}

pub async fn schools(db: &Db, scope: &Scope, q: &SchoolQuery) -> Result<Page<SchoolRow>> {
    let (page, per_page) = bounded(q.page, q.per_page);
    let mut count = Sql::count("FROM schools sc");
    school_where(&mut count, scope, q);
    let total = count.fetch_count(db).await?;
    let mut sql = Sql::new(
        "SELECT sc.code, sc.name, sc.school_type, sc.township_code, o.name AS township_name, sc.urban_rural, sc.ownership, sc.boarding, \
         CAST((SELECT COUNT(*) FROM enrollments e WHERE e.county = sc.county AND e.school_code = sc.code AND e.term = ",
    );
    sql.bind_text(q.term.clone())
        .push(" AND e.status IN ('在读', '休学', '送教上门')) AS BIGINT) AS students, CAST((SELECT COUNT(*) FROM classes c WHERE c.county = sc.county AND c.school_code = sc.code AND c.term = ")
        .bind_text(q.term.clone())
        .push(") AS BIGINT) AS classes FROM schools sc JOIN org_units o ON o.county = sc.county AND o.code = sc.township_code");
    school_where(&mut sql, scope, q);
    let direction = if q.desc { "DESC" } else { "ASC" };
    let order = match q.sort.as_deref() {
        Some("name") => format!("sc.name {direction}"),
        Some("type") => format!("sc.school_type {direction}, sc.code"),
        Some("township") => format!("sc.township_code {direction}, sc.code"),
        _ => format!("sc.code {direction}"),
    };
    sql.push(&format!(" ORDER BY {order}")).page(page, per_page);
    let items = rows_as(&sql.fetch_all(db).await?)?;
    Ok(Page {
        items,
        total,
        page,
        per_page,
    })
}

/// One school, if in scope.
pub async fn school(db: &Db, scope: &Scope, code: &str, term: &str) -> Result<Option<SchoolRow>> {
    let q = SchoolQuery {
        q: Some(code.to_string()),
        term: term.to_string(),
        page: 1,
        per_page: 1,
        ..SchoolQuery::default()
    };
    Ok(schools(db, scope, &q)
        .await?
        .items
        .into_iter()
        .find(|s| s.code == code))
}

#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct ClassRow {
    pub id: i64,
    pub school_code: String,
    pub school_name: String,
    #[sqlx(try_from = "Label")]
    pub school_type: SchoolType,
    #[sqlx(try_from = "Label")]
    pub grade: Grade,
    pub number: i64,
    /// Students in school (在读).
    pub size: i64,
}

/// `SELECT columns FROM classes c JOIN schools sc …` for the classes of a term in the scope,
/// after `outer` (the start of a query that reads it as a subquery, or nothing).
fn classes_in_scope(
    outer: &str,
    columns: &str,
    scope: &Scope,
    term: &str,
    school: Option<&str>,
) -> Sql {
    let mut sql = Sql::new(&format!(
        "{outer}SELECT {columns} FROM classes c JOIN schools sc ON sc.county = c.county AND sc.code = c.school_code WHERE c.county = "
    ));
    sql.bind_text(scope.county())
        .push(" AND c.term = ")
        .bind_text(term);
    scope_filter(&mut sql, scope, "c.school_code");
    if let Scope::Class { grade, number, .. } = scope {
        sql.push(" AND c.grade = ")
            .bind_text(grade.label())
            .push(" AND c.number = ")
            .bind_int(i64::from(*number));
    }
    if let Some(school) = school {
        sql.push(" AND c.school_code = ").bind_text(school);
    }
    sql
}

/// How many classes of a term are in the scope, and how many of them have `large_from` or more
/// students: the home page's two figures, counted in the database rather than by listing.
pub async fn class_counts(
    db: &Db,
    scope: &Scope,
    term: &str,
    large_from: i64,
) -> Result<(i64, i64)> {
    let mut sql = classes_in_scope(
        &format!(
            "SELECT CAST(COUNT(*) AS BIGINT) AS classes, \
             CAST(COALESCE(SUM(CASE WHEN size >= {large_from} THEN 1 ELSE 0 END), 0) AS BIGINT) AS large FROM ("
        ),
        "(SELECT COUNT(*) FROM enrollments e WHERE e.county = c.county AND e.class_id = c.id AND e.status = '在读') AS size",
        scope,
        term,
        None,
    );
    sql.push(") sizes");
    #[derive(sqlx::FromRow)]
    struct Counts {
        classes: i64,
        large: i64,
    }
    let counts = rows_as::<Counts>(&sql.fetch_all(db).await?)?
        .into_iter()
        .next()
        .ok_or(sqlx::Error::RowNotFound)?;
    Ok((counts.classes, counts.large))
}

/// Classes of a term in scope, optionally one school's, largest first when asked.
pub async fn classes(
    db: &Db,
    scope: &Scope,
    term: &str,
    school: Option<&str>,
    min_size: Option<i64>,
) -> Result<Vec<ClassRow>> {
    let mut sql = classes_in_scope(
        "",
        "c.id, c.school_code, sc.name AS school_name, sc.school_type, c.grade, c.number, \
         CAST((SELECT COUNT(*) FROM enrollments e WHERE e.county = c.county AND e.class_id = c.id AND e.status = '在读') AS BIGINT) AS size",
        scope,
        term,
        school,
    );
    sql.push(" ORDER BY c.school_code, c.grade, c.number");
    let mut rows: Vec<ClassRow> = rows_as(&sql.fetch_all(db).await?)?;
    if let Some(min) = min_size {
        rows.retain(|c| c.size >= min);
    }
    rows.sort_by_key(|c| (c.school_code.clone(), c.grade.school_order(), c.number));
    Ok(rows)
}

/// The filters, order and page of the class list (`classes_page`).
#[derive(Clone, Debug, Default)]
pub struct ClassQuery {
    pub term: String,
    pub township: Option<String>,
    pub school: Option<String>,
    pub grade: Option<String>,
    /// Classes of at least this many pupils in school (在读).
    pub min_size: Option<i64>,
    /// One of [`CLASS_SORTS`] (default: school, grade, class).
    pub sort: Option<String>,
    pub desc: bool,
    pub page: i64,
    /// 0 lists every match (exports).
    pub per_page: i64,
}

/// The sortable columns of the class list.
pub const CLASS_SORTS: &[&str] = &["school", "grade", "size"];

/// A page of the classes of a term in the scope, filtered, sorted and counted in the
/// database (the county has thousands).
pub async fn classes_page(db: &Db, scope: &Scope, q: &ClassQuery) -> Result<Page<ClassRow>> {
    let window = bounded_or_all(q.page, q.per_page);
    let all = window.is_none();
    let (page, per_page) = window.unwrap_or((q.page.max(1), i64::MAX));
    let size = "(SELECT COUNT(*) FROM enrollments e WHERE e.county = c.county AND e.class_id = c.id AND e.status = '在读')";
    let filter = |outer: &str, columns: &str| {
        let mut sql = classes_in_scope(outer, columns, scope, &q.term, q.school.as_deref());
        if let Some(t) = &q.township {
            sql.push(" AND sc.township_code = ").bind_text(t.clone());
        }
        if let Some(g) = &q.grade {
            sql.push(" AND c.grade = ").bind_text(g.clone());
        }
        if let Some(min) = q.min_size {
            sql.push(&format!(" AND {size} >= ")).bind_int(min);
        }
        sql
    };
    let mut count = filter("SELECT CAST(COUNT(*) AS BIGINT) AS total FROM (", "c.id");
    count.push(") matching");
    let total = count.fetch_count(db).await?;
    let mut sql = filter(
        "",
        &format!(
            "c.id, c.school_code, sc.name AS school_name, sc.school_type, c.grade, c.number, \
             CAST({size} AS BIGINT) AS size"
        ),
    );
    let direction = if q.desc { "DESC" } else { "ASC" };
    let grade = grade_rank("c.grade");
    let order = match q.sort.as_deref() {
        Some("grade") => format!("{grade} {direction}, c.school_code, c.number"),
        Some("size") => format!("size {direction}, c.school_code, {grade}, c.number"),
        _ => format!("c.school_code {direction}, {grade}, c.number"),
    };
    sql.push(&format!(" ORDER BY {order}"));
    if !all {
        sql.page(page, per_page);
    }
    let items = rows_as(&sql.fetch_all(db).await?)?;
    Ok(Page {
        items,
        total,
        page,
        per_page,
    })
}
