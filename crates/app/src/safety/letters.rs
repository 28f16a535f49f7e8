//! 致家长的一封信: the parents' signed letter (and 承诺书) of a student each autumn term.

use super::{field, require};
use crate::auth::Account;
use crate::registry::check_lengths;
use crate::Result;
use emis_domain::access::Permission;
use emis_domain::dates::parse_date;
use emis_domain::limits::CODE;
use emis_storage::audit::Entry;
use emis_storage::safety as store;
use emis_storage::Db;

#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct LetterForm {
    /// 身份证件号 of the student.
    pub id_number: String,
    pub year: i32,
    pub signed_on: String,
}

/// Records that a student's parents signed the year's letter (autumn term), for a
/// student on the roll in the account's scope.
pub async fn sign_letter(
    db: &Db,
    account: &Account,
    form: &LetterForm,
    source: &str,
) -> Result<()> {
    require(account, Permission::RecordHazards)?;
    check_lengths(&[("id_number", "身份证件号", &form.id_number, CODE)])?;
    let id_number = emis_domain::text::fold_width(form.id_number.trim()).to_uppercase();
    if id_number.len() < 15 {
        return Err(field("id_number", "请填写学生的身份证件号").into());
    }
    let Some(day) = parse_date(&form.signed_on) else {
        return Err(field("signed_on", "签收日期应为 2021-09-10 这样的格式").into());
    };
    let term = format!("{}-autumn", form.year);
    let found = emis_storage::lists::students(
        db,
        &account.scope,
        &emis_storage::lists::StudentQuery {
            term: term.clone(),
            q: Some(id_number.clone()),
            page: 1,
            per_page: 2,
            ..Default::default()
        },
    )
    .await?;
    let Some(student) = found.items.into_iter().next() else {
        return Err(field(
            "id_number",
            format!("{}年秋季学期您的管理范围内没有该学生", form.year),
        )
        .into());
    };
    let mut tx = db.begin().await?;
    store::sign_letter(
        &mut tx,
        account.county(),
        student.id,
        &term,
        &student.school_code,
        &day.to_string(),
    )
    .await?;
    Entry::new(
        account.county(),
        "parent_letter",
        "student",
        &student.id_number,
    )
    .after_json(&serde_json::json!({"term": term, "signed_on": day.to_string()}))
    .record(&mut tx, &account.actor(source))
    .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}
