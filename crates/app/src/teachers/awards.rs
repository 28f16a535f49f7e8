//! 表彰奖励: a school proposes one of its teachers for a title with an amount and merits; the
//! township checks; the bureau grants from the year's fund (never beyond it). A teacher with
//! a sanction in the bar period is flagged on the proposal for the reviewers. Every step
//! is audited.

use crate::auth::Account;
use crate::fields::{invalid, required_text};
use crate::masked::{self, Masked};
use crate::{AppError, Result};
use chrono::{Datelike, NaiveDate};
use emis_domain::access::Permission;
use emis_domain::teachers::awards::{
    check_fund, decide as next_status, AwardDecision, AwardStatus,
};
use emis_domain::teachers::conduct::flags_award;
use emis_storage::audit::Entry;
use emis_storage::teachers::{self as store, AwardRow, NewAward};
use emis_storage::Db;

masked::masks! {
    AwardRow { id: id_number }
}

/// The year's fund: set, granted and left (fen).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct Fund {
    pub year: i32,
    pub fund: i64,
    pub granted: i64,
    pub awarded: i64,
    pub balance: i64,
}

pub async fn fund(db: &Db, county: &str, year: i32) -> Result<Fund> {
    let fund = store::award_fund(db, county, year).await?;
    let (awarded, granted) = store::granted_totals(db, county, year).await?;
    Ok(Fund {
        year,
        fund,
        granted,
        awarded,
        balance: fund - granted,
    })
}

/// The awards and proposals of a year in the scope.
pub async fn list(
    db: &Db,
    account: &Account,
    year: i32,
    status: Option<AwardStatus>,
) -> Result<Vec<Masked<AwardRow>>> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    Ok(Masked::all(
        store::awards(db, &account.scope, year, status).await?,
    ))
}

/// A proposal as the form sends it.
#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct Proposal {
    /// The teacher's staff row id.
    pub staff: String,
    pub title: String,
    pub granting_body: String,
    /// 奖金(元).
    pub amount: String,
    /// 主要事迹.
    pub merits: String,
}

/// The flag a reviewer sees: the sanctions still in their bar period on `today`.
pub(crate) async fn conduct_flag(
    db: &Db,
    county: &str,
    id_number: &str,
    today: NaiveDate,
) -> Result<Option<String>> {
    let flagged: Vec<String> = store::sanctions_of(db, county, id_number)
        .await?
        .into_iter()
        .filter_map(|(sanction, decided)| {
            let on: NaiveDate = decided.parse().ok()?;
            flags_award(sanction, on, today).then(|| format!("{decided} 受{sanction}处理"))
        })
        .collect();
    Ok((!flagged.is_empty()).then(|| format!("师德师风：{}（处理影响期内）", flagged.join("；"))))
}

/// Proposes a teacher of the scope for a title in `today`'s year (or proposes again one
/// sent back). Returns the award's id.
pub async fn propose(
    db: &Db,
    account: &Account,
    form: &Proposal,
    today: NaiveDate,
    source: &str,
) -> Result<i64> {
    crate::require(account.role, Permission::ProposeAwards)?;
    let county = account.county();
    let staff_id: i64 = form
        .staff
        .trim()
        .parse()
        .map_err(|_| invalid("staff", "请选择被推荐的教师"))?;
    // A teacher outside the scope is not there for this account.
    let teacher = store::teacher(db, county, staff_id)
        .await?
        .filter(|t| super::admits(account, &t.school_code, &t.township_code))
        .ok_or(AppError::NotFound)?;
    let title = required_text(
        "title",
        "荣誉称号",
        &form.title,
        emis_domain::limits::ORG_NAME,
    )?;
    // Blank: the county's own bureau.
    let bureau = format!(
        "{}教育局",
        emis_domain::divisions::county(county).map_or(county, |c| c.name)
    );
    let body = match form.granting_body.trim() {
        "" => bureau.as_str(),
        given => required_text(
            "granting_body",
            "授予单位",
            given,
            emis_domain::limits::ORG_NAME,
        )?,
    };
    let fen = if form.amount.trim().is_empty() {
        0
    } else {
        emis_domain::aid::parse_yuan(form.amount.trim())
            .filter(|f| *f <= emis_domain::limits::MAX_FEN)
            .ok_or_else(|| {
                invalid(
                    "amount",
                    format!(
                        "奖金“{}”应为不超过{}元、最多两位小数的元数",
                        form.amount.trim(),
                        emis_domain::limits::MAX_YUAN
                    ),
                )
            })?
    };
    let merits = required_text(
        "merits",
        "主要事迹",
        &form.merits,
        emis_domain::limits::FREE_TEXT,
    )?;
    let year = i64::from(today.year());
    let status = AwardStatus::proposed_by(account.role.org_level());
    let flag = conduct_flag(db, county, &teacher.id_number, today).await?;
    let existing = store::awards_of_teacher(db, county, &teacher.id_number)
        .await?
        .into_iter()
        .find(|a| a.title == title && a.year == year);
    let award = NewAward {
        id_number: teacher.id_number.clone(),
        name: teacher.name.clone(),
        school_code: teacher.school_code.clone(),
        township_code: teacher.township_code.clone(),
        title: title.to_string(),
        granting_body: body.to_string(),
        year,
        granted_on: None,
        fen,
        status,
        merits: merits.to_string(),
        conduct_flag: flag.clone(),
    };
    let actor = account.actor(source);
    let mut tx = db.begin().await?;
    let id = match existing {
        Some(a) if a.status == AwardStatus::SentBack => {
            store::repropose_award(&mut tx, county, a.id, &award, &account.username).await?;
            a.id
        }
        Some(a) => {
            return Err(invalid(
                "title",
                format!(
                    "{}已被推荐为{}年“{title}”（{}），不能重复推荐",
                    teacher.name, year, a.status
                ),
            ))
        }
        None => {
            store::insert_awards(
                &mut tx,
                county,
                std::slice::from_ref(&award),
                &account.username,
            )
            .await?;
            store::award_id(&mut tx, county, &teacher.id_number, title, year)
                .await?
                .ok_or(AppError::NotFound)?
        }
    };
    Entry::new(county, "propose", "award", &id.to_string())
        .after_json(&serde_json::json!({
            "teacher": teacher.id_number, "title": title, "fen": fen, "status": status, "conduct_flag": flag
        }))
        .record(&mut tx, &actor)
        .await?;
    emis_storage::commit(tx).await?;
    Ok(id)
}

/// A reviewer's decision on an award of the scope: the township checks, the bureau grants
/// (within the fund) or either sends it back with a reason.
pub async fn decide(
    db: &Db,
    account: &Account,
    id: i64,
    decision: AwardDecision,
    reason: &str,
    today: NaiveDate,
    source: &str,
) -> Result<AwardStatus> {
    crate::require(account.role, Permission::ReviewAwards)?;
    let county = account.county();
    let award = store::award(db, county, id)
        .await?
        .filter(|a| super::admits(account, &a.school_code, &a.township_code))
        .ok_or(AppError::NotFound)?;
    let next = next_status(award.status, account.role.org_level(), decision, reason)
        .map_err(|e| AppError::Refused(e.to_string()))?;
    if next == AwardStatus::Granted {
        let fund = fund(db, county, award.year as i32).await?;
        check_fund(award.fen, fund.balance).map_err(|e| AppError::Refused(e.to_string()))?;
    }
    let reason = (next == AwardStatus::SentBack).then(|| reason.trim());
    let mut tx = db.begin().await?;
    store::decide_award(
        &mut tx,
        county,
        id,
        next,
        reason,
        &account.username,
        &today.to_string(),
    )
    .await?;
    Entry::new(county, "decide", "award", &id.to_string())
        .before_json(&serde_json::json!({"status": award.status}))
        .after_json(&serde_json::json!({"status": next, "reason": reason}))
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(next)
}

/// The year of an award of the scope (for returning to its list).
pub async fn award_year(db: &Db, account: &Account, id: i64) -> Result<Option<i32>> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    Ok(store::award(db, account.county(), id)
        .await?
        .filter(|a| super::admits(account, &a.school_code, &a.township_code))
        .map(|a| a.year as i32))
}

/// Sets a year's fund (yuan as written), audited; refused below what is already granted.
pub async fn set_fund(
    db: &Db,
    account: &Account,
    year: i32,
    amount: &str,
    source: &str,
) -> Result<()> {
    crate::require(account.role, Permission::KeepTeachers)?;
    let county = account.county();
    let fen = emis_domain::aid::parse_yuan(amount.trim())
        .filter(|f| *f <= emis_domain::limits::MAX_FEN * 1000)
        .ok_or_else(|| {
            invalid(
                "fund",
                format!("奖励资金“{}”应为最多两位小数的元数", amount.trim()),
            )
        })?;
    let before = fund(db, county, year).await?;
    if fen < before.granted {
        return Err(invalid(
            "fund",
            format!(
                "奖励资金不能少于已授予的奖金 {} 元",
                emis_domain::indicators::Value::Fen(before.granted).to_json()
            ),
        ));
    }
    let mut tx = db.begin().await?;
    store::save_award_fund(&mut tx, county, year, fen, &account.username).await?;
    Entry::new(county, "update", "award_fund", &year.to_string())
        .before_json(&before.fund)
        .after_json(&fen)
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}
