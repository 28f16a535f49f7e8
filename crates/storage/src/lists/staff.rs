//! Staff as a list.

use super::*;

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
