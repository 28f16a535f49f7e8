//! 教职工: the staff roll as an import reads and writes it.

use super::*;

/// A `staff` row, its labels decoded into the domain's enums.
#[derive(sqlx::FromRow)]
struct StaffRow {
    school_code: String,
    name: String,
    #[sqlx(try_from = "Label")]
    sex: Sex,
    id_number: String,
    #[sqlx(try_from = "Label")]
    post_type: PostType,
    subject: Option<String>,
    title: Option<String>,
    channel: Option<String>,
    start_date: Option<String>,
}

/// A staff member's stored record, keyed by ID number.
pub async fn load_staff(db: &Db, county: &str) -> Result<HashMap<String, StaffRecord>> {
    let rows: Vec<StaffRow> = county_rows(db, "SELECT school_code, name, sex, id_number, post_type, subject, title, channel, start_date FROM staff WHERE county = $1", county).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let s = StaffRecord {
                school_code: r.school_code,
                name: r.name,
                sex: r.sex,
                id_number: r.id_number,
                post_type: r.post_type,
                subject: r.subject,
                title: r.title,
                channel: r.channel.as_deref().and_then(RecruitChannel::parse),
                start_date: r.start_date.and_then(|d| d.parse().ok()),
            };
            (s.id_number.clone(), s)
        })
        .collect())
}

pub async fn write_staff(tx: &mut Tx, county: &str, records: &[&StaffRecord]) -> Result<()> {
    insert_many(
        tx,
        "staff",
        &["county", "school_code", "id_number", "name", "sex", "post_type", "subject", "title", "channel", "start_date"],
        "ON CONFLICT (county, id_number) DO UPDATE SET school_code = excluded.school_code, name = excluded.name, sex = excluded.sex, \
         post_type = excluded.post_type, subject = excluded.subject, title = excluded.title, channel = excluded.channel, \
         start_date = excluded.start_date",
        records,
        |q, s| {
            q.bind(county)
                .bind(&s.school_code)
                .bind(&s.id_number)
                .bind(&s.name)
                .bind(s.sex.label())
                .bind(s.post_type.label())
                .bind(&s.subject)
                .bind(&s.title)
                .bind(s.channel.map(|c| c.label()))
                .bind(s.start_date.map(|d| d.to_string()))
        },
    )
    .await?;
    Ok(())
}
