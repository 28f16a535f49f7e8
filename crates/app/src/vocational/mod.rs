//! 职业教育: the vocational school's 专业 with their partner institutions, the agreements
//! signed with them and each year's intake (the 职成股's forms), and the year's
//! `vocational.five_year_intake`. Programmes are county records every reader sees.

use crate::auth::Account;
use crate::fields::{invalid, number_in, past_date, required_text};
use crate::Result;
use chrono::{Datelike, NaiveDate};
use emis_domain::access::Permission;
use emis_domain::indicators::Value;
use emis_domain::limits::{check_len, CODE, ORG_NAME, SHORT_TEXT};
use emis_domain::registry::SchoolType;
use emis_domain::vocational::{five_year_intake, runs_until, Schooling, MAX_INTAKE, MAX_YEARS};
use emis_storage::audit::Entry;
use emis_storage::vocational::{
    self as store, AgreementRow, IntakeRow, NewAgreement, NewProgramme, ProgrammeRow,
};
use emis_storage::Db;

/// An agreement with the last day it runs.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct AgreementView {
    pub agreement: AgreementRow,
    pub runs_until: Option<String>,
}

/// A programme with its agreements and its intake by year.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ProgrammeView {
    pub programme: ProgrammeRow,
    pub agreements: Vec<AgreementView>,
    pub intakes: Vec<IntakeRow>,
}

impl ProgrammeView {
    /// The intake of a year (0 when none is recorded).
    pub fn intake_of(&self, year: i64) -> i64 {
        self.intakes
            .iter()
            .find(|i| i.year == year)
            .map_or(0, |i| i.students)
    }
}

/// A year's intake over all programmes.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct VocationalYear {
    pub year: i64,
    pub total: i64,
    /// Of which 五年制大专.
    pub five_year: i64,
}

/// The programmes with their partners, agreements and intake by year.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct VocationalOverview {
    pub programmes: Vec<ProgrammeView>,
    /// The years with an intake recorded, oldest first.
    pub years: Vec<VocationalYear>,
}

pub async fn overview(db: &Db, account: &Account) -> Result<VocationalOverview> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    let county = account.county();
    let agreements = store::agreements(db, county).await?;
    let intakes = store::intakes(db, county).await?;
    let programmes: Vec<ProgrammeView> = store::programmes(db, county)
        .await?
        .into_iter()
        .map(|p| ProgrammeView {
            agreements: agreements
                .iter()
                .filter(|a| a.programme_id == p.id)
                .map(|a| AgreementView {
                    runs_until: a
                        .signed_on
                        .parse::<NaiveDate>()
                        .ok()
                        .and_then(|d| runs_until(d, a.years))
                        .map(|d| d.to_string()),
                    agreement: a.clone(),
                })
                .collect(),
            intakes: intakes
                .iter()
                .filter(|i| i.programme_id == p.id)
                .cloned()
                .collect(),
            programme: p,
        })
        .collect();
    let mut years: Vec<i64> = intakes.iter().map(|i| i.year).collect();
    years.sort_unstable();
    years.dedup();
    let years = years
        .into_iter()
        .map(|y| VocationalYear {
            year: y,
            total: programmes.iter().map(|p| p.intake_of(y)).sum(),
            five_year: programmes
                .iter()
                .filter(|p| p.programme.schooling == Schooling::FiveYear)
                .map(|p| p.intake_of(y))
                .sum(),
        })
        .collect();
    Ok(VocationalOverview { programmes, years })
}

/// A programme with its partner and (optionally) an agreement, as the form sends it.
#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct ProgrammeForm {
    /// 学校标识码 of a 中等职业学校.
    pub school: String,
    /// 专业名称.
    pub name: String,
    /// 专业代码 (optional).
    pub code: String,
    /// 学制: 三年制 / 五年制大专.
    pub schooling: String,
    /// 合作院校 (required with an agreement).
    pub partner: String,
    /// 协议名称 (optional: no agreement without it).
    pub agreement: String,
    /// 签订日期.
    pub signed_on: String,
    /// 期限（年）.
    pub years: String,
}

/// Records a programme, and the agreement when one is named; audited. Returns the
/// programme's id.
pub async fn record_programme(
    db: &Db,
    account: &Account,
    form: &ProgrammeForm,
    today: NaiveDate,
    source: &str,
) -> Result<i64> {
    crate::require(account.role, Permission::KeepVocational)?;
    let county = account.county();
    let code = form.school.trim();
    let school = emis_storage::registry::schools(db, county)
        .await?
        .into_iter()
        .find(|s| s.code == code)
        .ok_or_else(|| invalid("school", format!("学校标识码“{code}”不在本县学校名单中")))?;
    if school.school_type != SchoolType::Vocational {
        return Err(invalid(
            "school",
            format!("{}不是中等职业学校", school.name),
        ));
    }
    let name = required_text("name", "专业名称", &form.name, ORG_NAME)?.to_string();
    let programme_code = form.code.trim().to_string();
    check_len("专业代码", &programme_code, CODE).map_err(|m| invalid("code", m))?;
    let schooling = Schooling::parse(&form.schooling)
        .ok_or_else(|| invalid("schooling", format!("请选择学制：{}", Schooling::choices())))?;
    let partner = form.partner.trim().to_string();
    check_len("合作院校", &partner, ORG_NAME).map_err(|m| invalid("partner", m))?;
    let title = form.agreement.trim().to_string();
    let agreement = if title.is_empty() {
        None
    } else {
        check_len("协议名称", &title, SHORT_TEXT).map_err(|m| invalid("agreement", m))?;
        if partner.is_empty() {
            return Err(invalid("partner", "登记合作协议须填写合作院校"));
        }
        let signed = past_date("signed_on", "签订日期", &form.signed_on, today)?;
        let years = number_in("years", "期限（年）", &form.years, 1, MAX_YEARS)?;
        Some((title, signed, years))
    };
    let row = NewProgramme {
        school_code: school.code.clone(),
        name,
        code: Some(programme_code).filter(|c| !c.is_empty()),
        schooling,
        partner: Some(partner.clone()).filter(|p| !p.is_empty()),
    };
    let mut tx = db.begin().await?;
    let id = store::write_programme(&mut tx, county, &row, &account.username).await?;
    let mut after = serde_json::json!({"programme": row});
    if let Some((title, signed, years)) = agreement {
        let a = NewAgreement {
            programme_id: id,
            title,
            partner,
            signed_on: signed.to_string(),
            years,
        };
        store::write_agreement(&mut tx, county, &a, &account.username).await?;
        after["agreement"] = serde_json::json!(a);
    }
    Entry::new(county, "update", "vocational_programme", &row.name)
        .after_json(&after)
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(id)
}

/// A year's intake as the form sends it.
#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct IntakeForm {
    /// The programme's id.
    pub programme: String,
    pub year: String,
    /// 招生人数.
    pub students: String,
}

/// Records (or corrects) a programme's intake of a year; audited with the count before.
pub async fn record_intake(
    db: &Db,
    account: &Account,
    form: &IntakeForm,
    today: NaiveDate,
    source: &str,
) -> Result<()> {
    crate::require(account.role, Permission::KeepVocational)?;
    let county = account.county();
    let programme = match form.programme.trim().parse::<i64>() {
        Ok(id) => store::programme(db, county, id).await?,
        Err(_) => None,
    }
    .ok_or_else(|| invalid("programme", "请选择专业"))?;
    let year = number_in(
        "year",
        "年度",
        form.year.trim().trim_end_matches('年'),
        2000,
        i64::from(today.year()) + 1,
    )?;
    let students = number_in("students", "招生人数", &form.students, 0, MAX_INTAKE)?;
    let before = store::intakes(db, county)
        .await?
        .into_iter()
        .find(|i| i.programme_id == programme.id && i.year == year);
    let mut tx = db.begin().await?;
    store::write_intake(
        &mut tx,
        county,
        programme.id,
        year as i32,
        students,
        &account.username,
    )
    .await?;
    let mut entry = Entry::new(county, "update", "vocational_intake", &programme.name);
    if let Some(b) = &before {
        entry = entry.before_json(b);
    }
    entry
        .after_json(
            &serde_json::json!({"programme_id": programme.id, "year": year, "students": students}),
        )
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

/// The year's `vocational.five_year_intake`.
pub async fn indicators(db: &Db, county: &str, year: i32) -> Result<Vec<(&'static str, Value)>> {
    let schooling: std::collections::HashMap<i64, Schooling> = store::programmes(db, county)
        .await?
        .into_iter()
        .map(|p| (p.id, p.schooling))
        .collect();
    let rows = store::intakes(db, county)
        .await?
        .into_iter()
        .filter_map(|i| Some((*schooling.get(&i.programme_id)?, i.year as i32, i.students)));
    Ok(vec![(
        "vocational.five_year_intake",
        Value::Count(five_year_intake(year, rows)),
    )])
}
