//! The student roll as a list: the query, its class walk (the default order's pages) and a
//! student's record with every term.

use super::*;

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
    /// The query's classes in the list's order.
    classes: Vec<WalkedClass>,
    pub total: i64,
}

/// One class of a [`ClassWalk`], with what a page shows of it: its rows then need only
/// the enrollments and the students, not the classes and schools again.
#[derive(Clone, Debug)]
struct WalkedClass {
    id: i64,
    /// The query's students in it.
    students: i64,
    number: i64,
    /// Shared by the classes of a school.
    school_name: std::sync::Arc<str>,
}

impl ClassWalk {
    /// The classes holding rows `offset..offset + len` of the list, and how many of their
    /// rows come before `offset`.
    fn window(&self, offset: i64, len: i64) -> (Vec<&WalkedClass>, i64) {
        let (mut before, mut covered, mut skip) = (0, Vec::new(), 0);
        for class in &self.classes {
            let after = before + class.students;
            if after > offset && before < offset + len {
                if covered.is_empty() {
                    skip = offset - before;
                }
                covered.push(class);
            }
            before = after;
        }
        (covered, skip)
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
        "SELECT c.id, CAST(g.students AS BIGINT) AS students, c.number, sc.name AS school_name FROM \
         (SELECT e.class_id, COUNT(*) AS students FROM enrollments e",
    );
    if reads_classes(scope, q) {
        sql.push(" JOIN classes c ON c.county = e.county AND c.id = e.class_id");
    }
    student_where(&mut sql, scope, q);
    sql.push(" GROUP BY e.class_id) g JOIN classes c ON c.county = ")
        .bind_text(scope.county())
        .push(&format!(
            " AND c.id = g.class_id JOIN schools sc ON sc.county = c.county AND sc.code = c.school_code \
             ORDER BY {}",
            class_order(q.desc)
        ));
    let mut walk = ClassWalk::default();
    let mut school_name: std::sync::Arc<str> = "".into();
    for row in sql.fetch_all(db).await? {
        let students: i64 = row.try_get("students")?;
        let name: &str = row.try_get("school_name")?;
        // The classes come school by school: one shared name per school.
        if *school_name != *name {
            school_name = name.into();
        }
        walk.classes.push(WalkedClass {
            id: row.try_get("id")?,
            students,
            number: row.try_get("number")?,
            school_name: school_name.clone(),
        });
        walk.total += students;
    }
    Ok(walk)
}

/// A row of a [`students_by_class`] page, before its class's number and school's name are
/// added from the walk.
#[derive(sqlx::FromRow)]
struct WalkedRow {
    id: i64,
    name: String,
    #[sqlx(try_from = "Label")]
    sex: Sex,
    id_number: String,
    birth_date: String,
    school_code: String,
    class_id: i64,
    #[sqlx(try_from = "Label")]
    grade: Grade,
    #[sqlx(try_from = "Label")]
    status: StudentStatus,
    #[sqlx(try_from = "Flag")]
    boarding: bool,
    #[sqlx(try_from = "Label")]
    hardship: Hardship,
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
        // class (the order the sorted query gives), then only those rows joined to their
        // students: a page reads its own students, not every student of its classes, and
        // takes its classes' numbers and schools' names from the walk (two joins fewer
        // plan in a tenth of the time). The class list is padded to a power of two (0 is
        // no class), so that a few statement texts serve every page and their plans stay
        // prepared.
        let padded = classes.len().next_power_of_two();
        let ids: Vec<i64> = classes
            .iter()
            .map(|c| c.id)
            .chain(std::iter::repeat(0))
            .take(padded)
            .collect();
        let mut sql = Sql::new(
            "SELECT s.id, s.name, s.sex, s.id_number, s.birth_date, e.school_code, e.class_id, e.grade, \
             e.status, e.boarding, s.hardship FROM \
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
                 ORDER BY e.place, e.student_id",
            );
        let rows: Vec<WalkedRow> = rows_as(&sql.fetch_all(db).await?)?;
        items = rows
            .into_iter()
            .map(|r| {
                let class = classes.iter().find(|c| c.id == r.class_id);
                StudentRow {
                    id: r.id,
                    name: r.name,
                    sex: r.sex,
                    id_number: r.id_number,
                    birth_date: r.birth_date,
                    school_code: r.school_code,
                    school_name: class.map(|c| c.school_name.to_string()).unwrap_or_default(),
                    grade: r.grade,
                    class_number: class.map_or(0, |c| c.number),
                    status: r.status,
                    boarding: r.boarding,
                    hardship: r.hardship,
                }
            })
            .collect();
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
         left_behind, migrant, orphan, household_type, overseas, nationality, aux_no FROM students WHERE county = $1 AND id = $2",
    )
    .bind(scope.county())
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|detail| StudentDetail { terms, ..detail }))
}
