//! Hardship evidence (家庭经济困难认定): certificates and the students' hardship type.

use crate::sql::{county_rows, insert_many};
use crate::{Db, Result, Tx};

/// A stored certificate (`aid_evidence`), read by column name.
#[derive(sqlx::FromRow)]
struct Evidence {
    id_number: String,
    kind: String,
    certificate_no: String,
}

/// Hardship evidence: `(id_number, kind, certificate_no)`.
pub async fn write_evidence(
    tx: &mut Tx,
    county: &str,
    rows: &[(String, String, String)],
) -> Result<()> {
    insert_many(
        tx,
        "aid_evidence",
        &["county", "id_number", "kind", "certificate_no"],
        "ON CONFLICT (county, id_number, kind) DO UPDATE SET certificate_no = excluded.certificate_no",
        rows,
        |q, (id, kind, no)| {
        q.bind(county).bind(id).bind(kind).bind(no)
        },
    )
    .await?;
    Ok(())
}

/// Every stored certificate: `(id_number, kind)` → certificate number.
pub async fn all_evidence(
    db: &Db,
    county: &str,
) -> Result<std::collections::HashMap<(String, String), String>> {
    let rows: Vec<Evidence> = county_rows(
        db,
        "SELECT id_number, kind, certificate_no FROM aid_evidence WHERE county = $1",
        county,
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|e| ((e.id_number, e.kind), e.certificate_no))
        .collect())
}

/// Sets students' hardship type (`(id_number, label)`), which eligibility reads.
pub async fn set_hardship(tx: &mut Tx, county: &str, rows: &[(String, String)]) -> Result<()> {
    for (id_number, hardship) in rows {
        sqlx::query("UPDATE students SET hardship = $1 WHERE county = $2 AND id_number = $3")
            .bind(hardship)
            .bind(county)
            .bind(id_number)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// A student's hardship evidence: `(kind, certificate_no)`.
pub async fn evidence(db: &Db, county: &str, id_number: &str) -> Result<Vec<(String, String)>> {
    let rows: Vec<Evidence> = sqlx::query_as(
        "SELECT id_number, kind, certificate_no FROM aid_evidence WHERE county = $1 AND id_number = $2 ORDER BY kind",
    )
    .bind(county)
    .bind(id_number)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|e| (e.kind, e.certificate_no))
        .collect())
}

/// Masks a certificate number like an ID number: first 3 and last 2 characters kept.
pub fn mask_certificate(no: &str) -> String {
    let chars: Vec<char> = no.chars().collect();
    if chars.len() <= 5 {
        return "*".repeat(chars.len());
    }
    let mut out: String = chars[..3].iter().collect();
    out.push_str(&"*".repeat(chars.len() - 5));
    out.extend(&chars[chars.len() - 2..]);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn certificates_are_masked_like_id_numbers() {
        assert_eq!(
            super::mask_certificate("DB43122412345678"),
            "DB4***********78"
        );
        assert_eq!(super::mask_certificate("12345"), "*****");
    }
}
