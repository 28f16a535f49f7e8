//! Scoped, searchable, sortable, paged lists for pages and the API. Every query takes a
//! `Scope`, so nothing outside the account's org unit can be listed or fetched.

use crate::sql::{rows_as, Flag, Label, Sql};
use crate::{Db, Result};
use emis_domain::access::Scope;
use emis_domain::registry::{Grade, Hardship, PostType, SchoolType, Sex, StudentStatus};
use sqlx::Row;

/// `AND <school column> …` limiting rows to the scope.
pub(crate) fn scope_filter(sql: &mut Sql, scope: &Scope, school_column: &str) {
    match scope {
        // A region reads no county's records (`Scope::county` is its own code).
        Scope::Region { .. } => {
            sql.push(" AND 1 = 0");
        }
        Scope::County { .. } => {}
        Scope::Township { township, .. } => {
            sql.push(&format!(
                " AND {school_column} IN (SELECT code FROM schools WHERE township_code = "
            ))
            .bind_text(township.clone())
            .push(")");
        }
        Scope::School { school, .. } | Scope::Class { school, .. } => {
            sql.push(&format!(" AND {school_column} = "))
                .bind_text(school.clone());
        }
    }
}

#[derive(Clone, Debug, Default, serde::Serialize, schemars::JsonSchema)]
#[schemars(rename = "{T}Page")]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// The most rows one page of a list holds.
pub(crate) const MAX_PER_PAGE: i64 = 500;

/// The page and page size a list asks for, bounded: page 1 or later, 1 to
/// [`MAX_PER_PAGE`] rows.
pub(crate) fn bounded(page: i64, per_page: i64) -> (i64, i64) {
    (page.max(1), per_page.clamp(1, MAX_PER_PAGE))
}

/// The same where `per_page` 0 asks for every row (an export): `None` then.
pub(crate) fn bounded_or_all(page: i64, per_page: i64) -> Option<(i64, i64)> {
    (per_page != 0).then(|| bounded(page, per_page))
}

impl<T> Page<T> {
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page.max(1)).max(1)
    }
}

#[derive(Clone, Debug, Default)]
pub struct StudentQuery {
    pub term: String,
    /// A name (prefix) or an ID number (exact).
    pub q: Option<String>,
    /// A township's code: its schools only.
    pub township: Option<String>,
    pub school: Option<String>,
    pub grade: Option<String>,
    pub class_number: Option<i64>,
    pub status: Option<String>,
    /// `name`, `school`, `grade`, `birth` (default: school, grade, class, name).
    pub sort: Option<String>,
    pub desc: bool,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct StudentRow {
    pub id: i64,
    pub name: String,
    #[sqlx(try_from = "Label")]
    pub sex: Sex,
    pub id_number: String,
    pub birth_date: String,
    pub school_code: String,
    pub school_name: String,
    #[sqlx(try_from = "Label")]
    pub grade: Grade,
    pub class_number: i64,
    #[sqlx(try_from = "Label")]
    pub status: StudentStatus,
    #[sqlx(try_from = "Flag")]
    pub boarding: bool,
    #[sqlx(try_from = "Label")]
    pub hardship: Hardship,
}

pub(crate) fn student_where(sql: &mut Sql, scope: &Scope, q: &StudentQuery) {
    sql.push(" WHERE e.county = ")
        .bind_text(scope.county())
        .push(" AND e.term = ")
        .bind_text(q.term.clone());
    scope_filter(sql, scope, "e.school_code");
    if let Scope::Class { grade, number, .. } = scope {
        sql.push(" AND e.grade = ")
            .bind_text(grade.label())
            .push(" AND c.number = ")
            .bind_int(i64::from(*number));
    }
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        if text.len() >= 15
            && text
                .chars()
                .all(|c| c.is_ascii_digit() || c == 'X' || c == 'x')
        {
            sql.push(" AND s.id_number = ")
                .bind_text(text.to_ascii_uppercase());
        } else if let keys @ [_, ..] = &emis_domain::national::keys_for_number(text)[..] {
            // A passport, permit or 学籍辅号: the student keys it may stand for.
            sql.push(" AND s.id_number IN (");
            for (i, key) in keys.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind_text(key.clone());
            }
            sql.push(")");
        } else {
            // A prefix range on (county, name) keeps the name index usable on both engines.
            sql.push(" AND s.county = ")
                .bind_text(scope.county())
                .push(" AND s.name >= ")
                .bind_text(text)
                .push(" AND s.name < ")
                .bind_text(format!("{text}\u{10FFFF}"));
        }
    }
    if let Some(township) = &q.township {
        sql.push(" AND e.school_code IN (SELECT code FROM schools WHERE township_code = ")
            .bind_text(township.clone())
            .push(")");
    }
    if let Some(school) = &q.school {
        sql.push(" AND e.school_code = ").bind_text(school.clone());
    }
    if let Some(grade) = &q.grade {
        sql.push(" AND e.grade = ").bind_text(grade.clone());
    }
    if let Some(n) = q.class_number {
        sql.push(" AND c.number = ").bind_int(n);
    }
    if let Some(status) = &q.status {
        sql.push(" AND e.status = ").bind_text(status.clone());
    }
}

/// Whether the query's filters read the class (`c`): its number, or a 班主任's scope.
fn reads_classes(scope: &Scope, q: &StudentQuery) -> bool {
    q.class_number.is_some() || matches!(scope, Scope::Class { .. })
}

/// A search by name counts its matches up to this many; more are shown as "2000+".
pub const SEARCH_COUNT_CAP: i64 = 2000;

const STUDENT_FROM: &str = " FROM enrollments e JOIN students s ON s.county = e.county AND s.id = e.student_id \
    JOIN classes c ON c.county = e.county AND c.id = e.class_id JOIN schools sc ON sc.county = e.county AND sc.code = e.school_code";

/// A page of students; `per_page` 0 lists every match (exports).
pub async fn students(db: &Db, scope: &Scope, q: &StudentQuery) -> Result<Page<StudentRow>> {
    let window = bounded_or_all(q.page, q.per_page);
    let all = window.is_none();
    let (page, per_page) = window.unwrap_or((q.page.max(1), i64::MAX));
    let name_search = q.q.as_deref().is_some_and(|t| !t.trim().is_empty());
    let mut count = Sql::count("");
    // The count joins only the tables its filters read: the joins are on NOT NULL foreign
    // keys, so they never change the number, and the county's whole roll counts in a few ms
    // from the enrollments index instead of 70 ms through four tables.
    let mut count_from = String::from(" FROM enrollments e");
    if name_search {
        count_from.push_str(" JOIN students s ON s.county = e.county AND s.id = e.student_id");
    }
    if reads_classes(scope, q) {
        count_from.push_str(" JOIN classes c ON c.county = e.county AND c.id = e.class_id");
    }
    if name_search {
        // A surname alone can match thousands: count no further than the cap (shown as "2000+").
        count.push(" FROM (SELECT 1").push(&count_from);
        student_where(&mut count, scope, q);
        count.push(&format!(" LIMIT {}) capped", SEARCH_COUNT_CAP + 1));
    } else {
        count.push(&count_from);
        student_where(&mut count, scope, q);
    }
    let total = count.fetch_count(db).await?;

    let mut sql = Sql::new(
        "SELECT s.id, s.name, s.sex, s.id_number, s.birth_date, e.school_code, sc.name AS school_name, e.grade, \
         c.number AS class_number, e.status, e.boarding, s.hardship",
    );
    sql.push(STUDENT_FROM);
    student_where(&mut sql, scope, q);
    let order = student_order(q);
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

/// The classes a student list's default order (school, grade, class) walks through, with
/// how many of the query's students each holds, in that order. A page then reads only the
/// few classes it covers, by index, instead of sorting the whole roll for every page: the
/// walk is computed once and kept for a while by the web layer.
#[derive(Clone, Debug, Default)]
pub struct ClassWalk {
    /// (class id, students of the query in it), in the list's order.
    classes: Vec<(i64, i64)>,
    pub total: i64,
}

impl ClassWalk {
    /// The classes holding rows `offset..offset + len` of the list, and how many of their
    /// rows come before `offset`.
    fn window(&self, offset: i64, len: i64) -> (Vec<i64>, i64) {
        let (mut before, mut ids, mut skip) = (0, Vec::new(), 0);
        for &(id, students) in &self.classes {
            let after = before + students;
            if after > offset && before < offset + len {
                if ids.is_empty() {
                    skip = offset - before;
                }
                ids.push(id);
            }
            before = after;
        }
        (ids, skip)
    }
}

/// Whether a student query lists in the default order by pages, which [`ClassWalk`] serves:
/// no other sort, no search, not every row at once.
pub fn walks_by_class(q: &StudentQuery) -> bool {
    q.sort.is_none() && q.q.as_deref().is_none_or(|t| t.trim().is_empty()) && q.per_page != 0
}

/// The default order of the student list over the classes `c` and students `s`.
fn class_order(desc: bool) -> String {
    let direction = if desc { "DESC" } else { "ASC" };
    format!(
        "c.school_code {direction}, {}, c.number, c.id",
        grade_rank("c.grade")
    )
}

/// The query's classes with their students, in the default order (see [`ClassWalk`]).
pub async fn class_walk(db: &Db, scope: &Scope, q: &StudentQuery) -> Result<ClassWalk> {
    // Counted per class from the enrollments alone (joined to the classes only when a
    // filter reads them), then the few thousand classes ordered.
    let mut sql = Sql::new(
        "SELECT c.id, CAST(g.students AS BIGINT) AS students FROM \
         (SELECT e.class_id, COUNT(*) AS students FROM enrollments e",
    );
    if reads_classes(scope, q) {
        sql.push(" JOIN classes c ON c.county = e.county AND c.id = e.class_id");
    }
    student_where(&mut sql, scope, q);
    sql.push(" GROUP BY e.class_id) g JOIN classes c ON c.county = ")
        .bind_text(scope.county())
        .push(&format!(
            " AND c.id = g.class_id ORDER BY {}",
            class_order(q.desc)
        ));
    let mut walk = ClassWalk::default();
    for row in sql.fetch_all(db).await? {
        let students: i64 = row.try_get("students")?;
        walk.classes.push((row.try_get("id")?, students));
        walk.total += students;
    }
    Ok(walk)
}

/// A page of students in the default order, read from the classes the page covers in
/// `walk` (the query's own [`class_walk`], possibly a few seconds old).
pub async fn students_by_class(
    db: &Db,
    scope: &Scope,
    q: &StudentQuery,
    walk: &ClassWalk,
) -> Result<Page<StudentRow>> {
    let (page, per_page) = bounded(q.page, q.per_page);
    let (classes, skip) = walk.window((page - 1) * per_page, per_page);
    let mut items = Vec::new();
    if !classes.is_empty() {
        // The page's enrollments first, in the walk's class order and by student within a
        // class (the order the sorted query gives), then only those rows joined: a page
        // reads its own students, not every student of its classes. The class list is
        // padded to a power of two (0 is no class), so that a few statement texts serve
        // every page and their plans stay prepared.
        let padded = classes.len().next_power_of_two();
        let ids: Vec<i64> = classes
            .iter()
            .copied()
            .chain(std::iter::repeat(0))
            .take(padded)
            .collect();
        let mut sql = Sql::new(
            "SELECT s.id, s.name, s.sex, s.id_number, s.birth_date, e.school_code, sc.name AS school_name, e.grade, \
             c.number AS class_number, e.status, e.boarding, s.hardship FROM \
             (SELECT e.county, e.student_id, e.class_id, e.school_code, e.grade, e.status, e.boarding, CASE e.class_id",
        );
        for (place, id) in ids.iter().enumerate() {
            sql.push(" WHEN ")
                .bind_int(*id)
                .push(&format!(" THEN {place}"));
        }
        sql.push(" END AS place FROM enrollments e");
        if reads_classes(scope, q) {
            sql.push(" JOIN classes c ON c.county = e.county AND c.id = e.class_id");
        }
        student_where(&mut sql, scope, q);
        sql.push(" AND e.class_id IN (");
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_int(*id);
        }
        sql.push(") ORDER BY place, e.student_id LIMIT ")
            .bind_int(per_page)
            .push(" OFFSET ")
            .bind_int(skip)
            .push(
                ") e JOIN students s ON s.county = e.county AND s.id = e.student_id \
                 JOIN classes c ON c.county = e.county AND c.id = e.class_id \
                 JOIN schools sc ON sc.county = e.county AND sc.code = e.school_code \
                 ORDER BY e.place, e.student_id",
            );
        items = rows_as(&sql.fetch_all(db).await?)?;
    }
    Ok(Page {
        items,
        total: walk.total,
        page,
        per_page,
    })
}

/// The sortable columns of the student list (`StudentQuery::sort`); anything else sorts by
/// school, grade and class.
pub const STUDENT_SORTS: &[&str] = &["name", "birth", "school", "grade", "status"];

/// The grade's place in school (一年级 before 二年级) as SQL over a column of grade labels.
pub(crate) fn grade_rank(column: &str) -> String {
    let mut case = format!("CASE {column}");
    for (i, g) in Grade::IN_SCHOOL_ORDER.iter().enumerate() {
        case.push_str(&format!(" WHEN '{}' THEN {i}", g.label()));
    }
    case.push_str(" ELSE 99 END");
    case
}

/// The ORDER BY of a student query: whitelisted columns only, never the request's text.
pub(crate) fn student_order(q: &StudentQuery) -> String {
    let direction = if q.desc { "DESC" } else { "ASC" };
    let by_name = q.q.as_deref().is_some_and(|t| {
        !t.trim().is_empty() && !t.trim().chars().all(|c| c.is_ascii_alphanumeric())
    });
    match q.sort.as_deref() {
        // A name search lists in name order: the index's own order, so no sort of every match.
        None if by_name => "s.name, s.id".to_string(),
        Some("name") => format!("s.name {direction}, s.id"),
        Some("birth") => format!("s.birth_date {direction}, s.id"),
        Some("grade") => format!("{} {direction}, c.number, s.id", grade_rank("e.grade")),
        Some("status") => format!("e.status {direction}, e.school_code, s.id"),
        _ => format!("{}, s.id", class_order(q.desc)),
    }
}

/// One student with every term's roll entry, if the student lies in the scope in any term.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct StudentDetail {
    pub id: i64,
    pub name: String,
    #[sqlx(try_from = "Label")]
    pub sex: Sex,
    pub id_number: String,
    pub student_no: Option<String>,
    pub birth_date: String,
    pub ethnicity: Option<String>,
    pub household_township: Option<String>,
    #[sqlx(try_from = "Label")]
    pub hardship: Hardship,
    pub disability: Option<String>,
    /// What the national 学籍 export added (issue #20), NULL where it did not say.
    pub left_behind: Option<String>,
    pub migrant: Option<i64>,
    pub orphan: Option<i64>,
    pub household_type: Option<String>,
    pub overseas: Option<String>,
    pub nationality: Option<String>,
    pub aux_no: Option<String>,
    /// Filled from the roll after the row is read.
    #[sqlx(skip)]
    pub terms: Vec<StudentTerm>,
}

#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct StudentTerm {
    pub term: String,
    pub school_code: String,
    pub school_name: String,
    pub township_code: String,
    #[sqlx(try_from = "Label")]
    pub grade: Grade,
    pub class_number: i64,
    #[sqlx(try_from = "Label")]
    pub status: StudentStatus,
    #[sqlx(try_from = "Flag")]
    pub boarding: bool,
}

pub async fn student(db: &Db, scope: &Scope, id: i64) -> Result<Option<StudentDetail>> {
    let mut sql = Sql::new(
        "SELECT e.term, e.school_code, sc.name AS school_name, sc.township_code, e.grade, c.number AS class_number, e.status, e.boarding FROM enrollments e \
         JOIN classes c ON c.county = e.county AND c.id = e.class_id JOIN schools sc ON sc.county = e.county AND sc.code = e.school_code WHERE e.student_id = ",
    );
    sql.bind_int(id)
        .push(" AND e.county = ")
        .bind_text(scope.county());
    let mut terms: Vec<StudentTerm> = rows_as(&sql.fetch_all(db).await?)?;
    terms.sort_by_key(|t| emis_domain::term::Term::parse(&t.term));
    // Visible when the latest term places the student in scope (a school keeps seeing a
    // student it transferred out only through the audit log, not the roll).
    let visible = terms.last().is_some_and(|t| {
        scope.admits_school(&t.school_code, &t.township_code)
            && match scope {
                Scope::Class { grade, number, .. } => {
                    t.grade == *grade && t.class_number == i64::from(*number)
                }
                _ => true,
            }
    });
    if !visible {
        return Ok(None);
    }
    let row: Option<StudentDetail> = sqlx::query_as(
        "SELECT id, name, sex, id_number, student_no, birth_date, ethnicity, household_township, hardship, disability, \
         left_behind, migrant, orphan, household_type, overseas, nationality, aux_no FROM students WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|detail| StudentDetail { terms, ..detail }))
}

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
         CAST((SELECT COUNT(*) FROM enrollments e WHERE e.school_code = sc.code AND e.term = ",
    );
    sql.bind_text(q.term.clone())
        .push(" AND e.status IN ('在读', '休学', '送教上门')) AS BIGINT) AS students, CAST((SELECT COUNT(*) FROM classes c WHERE c.school_code = sc.code AND c.term = ")
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
        "(SELECT COUNT(*) FROM enrollments e WHERE e.class_id = c.id AND e.status = '在读') AS size",
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
         CAST((SELECT COUNT(*) FROM enrollments e WHERE e.class_id = c.id AND e.status = '在读') AS BIGINT) AS size",
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
    let size = "(SELECT COUNT(*) FROM enrollments e WHERE e.class_id = c.id AND e.status = '在读')";
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

#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct StaffRow {
    pub id: i64,
    pub name: String,
    #[sqlx(try_from = "Label")]
    pub sex: Sex,
    pub id_number: String,
    pub school_code: String,
    pub school_name: String,
    #[sqlx(try_from = "Label")]
    pub post_type: PostType,
    pub subject: Option<String>,
    pub title: Option<String>,
    pub channel: Option<String>,
    pub start_date: Option<String>,
}

pub async fn staff(
    db: &Db,
    scope: &Scope,
    q: Option<&str>,
    township: Option<&str>,
    school: Option<&str>,
    page: i64,
    per_page: i64,
) -> Result<Page<StaffRow>> {
    if matches!(scope, Scope::Class { .. }) {
        return Ok(Page {
            items: vec![],
            total: 0,
            page: 1,
            per_page,
        });
    }
    let (page, per_page) = bounded(page, per_page);
    let filter = |sql: &mut Sql| {
        sql.push(" WHERE st.county = ").bind_text(scope.county());
        scope_filter(sql, scope, "st.school_code");
        if let Some(text) = q.map(str::trim).filter(|t| !t.is_empty()) {
            sql.push(" AND (st.name LIKE ")
                .bind_text(format!("{text}%"))
                .push(" OR st.id_number = ")
                .bind_text(text)
                .push(")");
        }
        if let Some(t) = township {
            sql.push(" AND st.school_code IN (SELECT code FROM schools WHERE township_code = ")
                .bind_text(t)
                .push(")");
        }
        if let Some(s) = school {
            sql.push(" AND st.school_code = ").bind_text(s);
        }
    };
    let mut count = Sql::count("FROM staff st");
    filter(&mut count);
    let total = count.fetch_count(db).await?;
    let mut sql = Sql::new(
        "SELECT st.id, st.name, st.sex, st.id_number, st.school_code, sc.name AS school_name, st.post_type, st.subject, st.title, st.channel, st.start_date \
         FROM staff st JOIN schools sc ON sc.county = st.county AND sc.code = st.school_code",
    );
    filter(&mut sql);
    sql.push(" ORDER BY st.school_code, st.id")
        .page(page, per_page);
    let items = rows_as(&sql.fetch_all(db).await?)?;
    Ok(Page {
        items,
        total,
        page,
        per_page,
    })
}

#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub source: String,
    pub action: String,
    pub entity: String,
    pub entity_key: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

/// The audit log, newest first, filtered by actor, record key and date range (YYYY-MM-DD),
/// 50 entries a page.
pub async fn audit(
    db: &Db,
    county: &str,
    actor: Option<&str>,
    key: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
    page: i64,
) -> Result<Page<AuditRow>> {
    audit_page(db, county, actor, key, from, to, page, 50).await
}

/// [`audit`] with the page size asked for.
#[allow(clippy::too_many_arguments)]
pub async fn audit_page(
    db: &Db,
    county: &str,
    actor: Option<&str>,
    key: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
    page: i64,
    per_page: i64,
) -> Result<Page<AuditRow>> {
    let (page, per_page) = bounded(page, per_page);
    let filter = |sql: &mut Sql| {
        sql.push(" WHERE county = ").bind_text(county);
        if let Some(a) = actor.filter(|a| !a.is_empty()) {
            sql.push(" AND actor = ").bind_text(a);
        }
        // Keys are stored with ID numbers masked: a full number is looked up by its mask
        // (which other people of the same area code and last two characters may share).
        let key = key.map(|k| emis_domain::identity::mask_ids_in_text(k.trim()).into_owned());
        if let Some(k) = key.as_deref().filter(|k| !k.is_empty()) {
            sql.push(" AND (entity_key = ")
                .bind_text(k)
                .push(" OR entity = ")
                .bind_text(k)
                .push(")");
        }
        if let Some(f) = from.filter(|f| !f.is_empty()) {
            sql.push(" AND at >= ").bind_text(f);
        }
        if let Some(t) = to.filter(|t| !t.is_empty()) {
            sql.push(" AND at < ").bind_text(format!("{t}T99"));
        }
    };
    let mut count = Sql::count("FROM audit_log");
    filter(&mut count);
    let total = count.fetch_count(db).await?;
    let mut sql = Sql::new("SELECT id, at, actor, source, action, entity, entity_key, before_json, after_json FROM audit_log");
    filter(&mut sql);
    sql.push(" ORDER BY id DESC").page(page, per_page);
    let items = rows_as(&sql.fetch_all(db).await?)?;
    Ok(Page {
        items,
        total,
        page,
        per_page,
    })
}

/// Township org units in scope, for filters.
pub async fn townships(db: &Db, scope: &Scope) -> Result<Vec<(String, String)>> {
    let mut sql =
        Sql::new("SELECT code, name FROM org_units WHERE kind = 'township' AND county = ");
    sql.bind_text(scope.county());
    match scope {
        // A region reads no county's records (`Scope::county` is its own code).
        Scope::Region { .. } => {
            sql.push(" AND 1 = 0");
        }
        Scope::County { .. } => {}
        Scope::Township { township, .. } => {
            sql.push(" AND code = ").bind_text(township.clone());
        }
        Scope::School { school, .. } | Scope::Class { school, .. } => {
            sql.push(" AND code IN (SELECT township_code FROM schools WHERE code = ")
                .bind_text(school.clone())
                .push(")");
        }
    }
    sql.push(" ORDER BY code");
    #[derive(sqlx::FromRow)]
    struct Township {
        code: String,
        name: String,
    }
    Ok(rows_as::<Township>(&sql.fetch_all(db).await?)?
        .into_iter()
        .map(|t| (t.code, t.name))
        .collect())
}
