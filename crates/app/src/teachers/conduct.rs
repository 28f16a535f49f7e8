//! 师德师风: campaigns and cases, seen and worked only by the roles that handle them
//! (`Permission::HandleConduct`). A case goes 已受理 → 调查核实 → 已处理; the decision
//! records findings and a sanction. Every step is audited.

use crate::auth::Account;
use crate::fields::{invalid, past_date as date, required_text as text};
use crate::masked::{self, Masked};
use crate::{AppError, Result};
use chrono::NaiveDate;
use emis_domain::access::Permission;
use emis_domain::limits::{check_len, FREE_TEXT, ORG_NAME, SHORT_TEXT};
use emis_domain::teachers::conduct::{advance, ConductStatus, Sanction};
use emis_storage::audit::Entry;
use emis_storage::teachers::{self as store, CampaignRow, CaseStep, ConductCaseRow, NewCase};
use emis_storage::Db;

masked::masks! {
    ConductCaseRow { id: id_number }
}

/// Campaigns and cases.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ConductBook {
    pub campaigns: Vec<CampaignRow>,
    pub cases: Vec<Masked<ConductCaseRow>>,
}

pub async fn book(db: &Db, account: &Account) -> Result<ConductBook> {
    crate::require(account.role, Permission::HandleConduct)?;
    let county = account.county();
    Ok(ConductBook {
        campaigns: store::campaigns(db, county).await?,
        cases: Masked::all(store::cases(db, county).await?),
    })
}

pub async fn case(db: &Db, account: &Account, id: i64) -> Result<Masked<ConductCaseRow>> {
    crate::require(account.role, Permission::HandleConduct)?;
    Ok(Masked::new(
        store::case(db, account.county(), id)
            .await?
            .ok_or(AppError::NotFound)?,
    ))
}

#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct NewCampaign {
    pub name: String,
    pub started_on: String,
    pub summary: String,
}

pub async fn add_campaign(
    db: &Db,
    account: &Account,
    form: &NewCampaign,
    today: NaiveDate,
    source: &str,
) -> Result<i64> {
    crate::require(account.role, Permission::HandleConduct)?;
    let county = account.county();
    let name = text("name", "专项整治名称", &form.name, ORG_NAME)?;
    let started = date("started_on", "开始日期", &form.started_on, today)?;
    let summary = text("summary", "工作内容", &form.summary, FREE_TEXT)?;
    if store::campaigns(db, county)
        .await?
        .iter()
        .any(|c| c.name == name)
    {
        return Err(invalid("name", format!("已有名为“{name}”的专项整治")));
    }
    let mut tx = db.begin().await?;
    let id = store::add_campaign(
        &mut tx,
        county,
        name,
        &started.to_string(),
        summary,
        &account.username,
    )
    .await?;
    Entry::new(county, "create", "conduct_campaign", &id.to_string())
        .after_json(&serde_json::json!({"name": name, "started_on": started, "summary": summary}))
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(id)
}

#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct ConductCaseForm {
    /// The teacher's staff row id.
    pub staff: String,
    pub campaign: Option<String>,
    pub reported_on: String,
    /// 来源: 信访举报, 专项检查, 12345 热线 ….
    pub source: String,
    pub summary: String,
}

pub async fn open_case(
    db: &Db,
    account: &Account,
    form: &ConductCaseForm,
    today: NaiveDate,
    source: &str,
) -> Result<i64> {
    crate::require(account.role, Permission::HandleConduct)?;
    let county = account.county();
    let staff: i64 = form
        .staff
        .trim()
        .parse()
        .map_err(|_| invalid("staff", "请选择涉及的教师"))?;
    let teacher = store::teacher(db, county, staff)
        .await?
        .ok_or(AppError::NotFound)?;
    let campaign = match form
        .campaign
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        None => None,
        Some(raw) => {
            let id: i64 = raw
                .parse()
                .map_err(|_| invalid("campaign", "请选择专项整治"))?;
            if !store::campaigns(db, county)
                .await?
                .iter()
                .any(|c| c.id == id)
            {
                return Err(invalid("campaign", "该专项整治不存在"));
            }
            Some(id)
        }
    };
    let case = NewCase {
        id_number: teacher.id_number.clone(),
        name: teacher.name.clone(),
        school_code: teacher.school_code.clone(),
        campaign_id: campaign,
        reported_on: date("reported_on", "受理日期", &form.reported_on, today)?.to_string(),
        source: text("source", "线索来源", &form.source, SHORT_TEXT)?.to_string(),
        summary: text("summary", "问题摘要", &form.summary, FREE_TEXT)?.to_string(),
    };
    let mut tx = db.begin().await?;
    let id = store::open_case(&mut tx, county, &case, &account.username).await?;
    Entry::new(county, "create", "conduct_case", &id.to_string())
        .after_json(&case)
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(id)
}

#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct StepForm {
    pub findings: Option<String>,
    pub sanction: Option<String>,
    pub decided_on: Option<String>,
}

/// Moves a case one step: to investigation, or (with findings, sanction and date) to its
/// decision.
pub async fn advance_case(
    db: &Db,
    account: &Account,
    id: i64,
    form: &StepForm,
    today: NaiveDate,
    source: &str,
) -> Result<ConductStatus> {
    crate::require(account.role, Permission::HandleConduct)?;
    let county = account.county();
    let case = store::case(db, county, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let next = advance(case.status)
        .ok_or_else(|| AppError::Refused("该案件已处理完毕，不能再变更".into()))?;
    let (findings, sanction, decided) = if next == ConductStatus::Decided {
        let findings = text(
            "findings",
            "调查结论",
            form.findings.as_deref().unwrap_or(""),
            FREE_TEXT,
        )?;
        let raw = form.sanction.as_deref().unwrap_or("").trim();
        let sanction = Sanction::parse(raw).ok_or_else(|| {
            invalid(
                "sanction",
                format!("请选择处理结果：{}", Sanction::choices()),
            )
        })?;
        let decided = date(
            "decided_on",
            "处理日期",
            form.decided_on.as_deref().unwrap_or(""),
            today,
        )?;
        if decided.to_string() < case.reported_on {
            return Err(invalid(
                "decided_on",
                format!("处理日期 {decided} 早于受理日期 {}", case.reported_on),
            ));
        }
        (Some(findings), Some(sanction), Some(decided.to_string()))
    } else {
        let findings = form
            .findings
            .as_deref()
            .map(str::trim)
            .filter(|f| !f.is_empty());
        if let Some(f) = findings {
            check_len("调查情况", f, FREE_TEXT).map_err(|m| invalid("findings", m))?;
        }
        (findings, None, None)
    };
    let mut tx = db.begin().await?;
    let step = CaseStep {
        status: next,
        findings,
        sanction,
        decided_on: decided.as_deref(),
    };
    store::advance_case(&mut tx, county, id, &step, &account.username).await?;
    Entry::new(county, "update", "conduct_case", &id.to_string())
        .before_json(&serde_json::json!({"status": case.status}))
        .after_json(&serde_json::json!({"status": next, "findings": findings, "sanction": sanction.map(|s| s.label()), "decided_on": decided}))
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(next)
}
