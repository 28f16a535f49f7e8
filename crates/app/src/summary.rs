//! 年度工作总结: the year's summary written from the records. Each office drafts its own
//! sections (from the default template, after the seed), submits them; the leader sends a
//! section back or publishes the whole, which freezes its figures with the date; a
//! published version is later shown against the live figures. Every change is audited.

use crate::auth::Account;
use crate::fields::invalid;
use crate::{AppError, Result};
use chrono::NaiveDate;
use emis_domain::access::{may_draft_section, Permission};
use emis_domain::summary::{self as doc, FigureSet, Frozen, Rendered, TemplateError};
use emis_storage::audit::Entry;
use emis_storage::summary as store;
use emis_storage::Db;

/// Section statuses.
pub const DRAFTING: &str = "起草中";
pub const SUBMITTED: &str = "已提交";
pub const RETURNED: &str = "已退回";

/// The year's figures from the records: every indicator, and the modules with no records.
pub async fn figures(db: &Db, county: &str, year: i32) -> Result<FigureSet> {
    let (set, unrecorded) =
        tokio::try_join!(crate::report::annual_indicators(db, county, year), async {
            Ok(store::unrecorded_modules(db, county, year).await?)
        })?;
    Ok(FigureSet::new(year, &set, unrecorded))
}

/// The figures of `year` and of the year before, computed at once (the comparison column).
pub async fn figures_and_previous(
    db: &Db,
    county: &str,
    year: i32,
) -> Result<(FigureSet, FigureSet)> {
    tokio::try_join!(figures(db, county, year), figures(db, county, year - 1))
}

/// The issuing body: 溆浦县教育局.
pub fn issuer(county: &str) -> String {
    let name = emis_domain::divisions::county(county)
        .map(|c| c.name)
        .unwrap_or(county);
    format!("{name}教育局")
}

fn template_errors(errors: Vec<TemplateError>) -> AppError {
    let lines: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    invalid("text", lines.join("；"))
}

fn check_year(year: i32) -> Result<()> {
    if (2000..=2100).contains(&year) {
        Ok(())
    } else {
        Err(invalid("year", "年度应为2000–2100的年份"))
    }
}

/// The template a year's summary is written from: its drafted sections when drafting has
/// started, else the default.
pub async fn template_text(db: &Db, county: &str, year: i32) -> Result<String> {
    let sections = store::sections(db, county, year).await?;
    Ok(if sections.is_empty() {
        doc::DEFAULT_TEMPLATE.to_string()
    } else {
        doc::join(sections.iter().map(|s| s.source.as_str()))
    })
}

/// Renders a template with the live figures of `year` beside those of the year before.
pub async fn render_live(
    db: &Db,
    county: &str,
    year: i32,
    template: &str,
    date: NaiveDate,
) -> Result<Rendered> {
    let parsed = doc::parse(template).map_err(template_errors)?;
    let (current, previous) = figures_and_previous(db, county, year).await?;
    Ok(doc::render(
        &parsed,
        &current,
        Some(&previous),
        &issuer(county),
        date,
    ))
}

/// [`render_live`] from the year's figures already computed (the page also fills the
/// editors' figure chips from them).
pub async fn render_with(
    db: &Db,
    county: &str,
    current: &FigureSet,
    template: &str,
    date: NaiveDate,
) -> Result<Rendered> {
    let parsed = doc::parse(template).map_err(template_errors)?;
    let previous = figures(db, county, current.year - 1).await?;
    Ok(doc::render(
        &parsed,
        current,
        Some(&previous),
        &issuer(county),
        date,
    ))
}

/// The summary `emis report annual --format docx|html|md` writes: the year's drafted
/// template (or the default) with the live figures, dated `date`.
pub async fn document(db: &Db, county: &str, year: i32, date: NaiveDate) -> Result<Rendered> {
    check_year(year)?;
    let template = template_text(db, county, year).await?;
    render_live(db, county, year, &template, date).await
}

// ------------------------------------------------------------------------- workflow

#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct SectionView {
    pub id: i64,
    pub position: i64,
    /// 0 前言, 1 一、, 2 （一）, 3 1.
    pub level: u8,
    pub office: String,
    /// The heading line as written (without `#` and `@`).
    pub heading: String,
    pub source: String,
    /// 起草中 / 已提交 / 已退回
    pub status: String,
    /// Why the leader sent it back.
    pub note: Option<String>,
    pub updated_by: String,
    pub updated_at: String,
    /// Whether the account may edit it now (drafting rights, not yet submitted).
    pub editable: bool,
}

#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct VersionView {
    pub version: i64,
    pub issued_on: String,
    pub published_by: String,
    pub published_at: String,
}

#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct SummaryView {
    pub year: i32,
    /// The account's own office (股室): the sections it may draft are that office's.
    pub office: Option<String>,
    /// Whether drafting has started (sections laid out).
    pub started: bool,
    pub sections: Vec<SectionView>,
    /// Sections not yet submitted (publishing waits for them).
    pub pending: usize,
    /// Published versions, latest first.
    pub versions: Vec<VersionView>,
}

fn heading_of(source: &str) -> (u8, String) {
    let first = source.lines().next().unwrap_or("");
    let level = first.chars().take_while(|c| *c == '#').count();
    if level == 0 {
        return (0, "前言".to_string());
    }
    let text = first.trim_start_matches('#');
    let text = text.rsplit_once('@').map(|(h, _)| h).unwrap_or(text);
    (level.min(3) as u8, text.trim().to_string())
}

/// The year's sections, statuses and published versions.
pub async fn view(db: &Db, account: &Account, year: i32) -> Result<SummaryView> {
    crate::require(account.role, Permission::ReadSummary)?;
    check_year(year)?;
    let county = account.county();
    let office = emis_storage::users::office(db, &account.username).await?;
    let sections: Vec<SectionView> = store::sections(db, county, year)
        .await?
        .into_iter()
        .map(|s| {
            let (level, heading) = heading_of(&s.source);
            SectionView {
                editable: may_draft_section(account.role, office.as_deref(), &s.office)
                    && s.status != SUBMITTED,
                id: s.id,
                position: s.position,
                level,
                office: s.office,
                heading,
                source: s.source,
                status: s.status,
                note: s.note,
                updated_by: s.updated_by,
                updated_at: s.updated_at,
            }
        })
        .collect();
    let versions = store::versions(db, county, year)
        .await?
        .into_iter()
        .map(|v| VersionView {
            version: v.version,
            issued_on: v.issued_on,
            published_by: v.published_by,
            published_at: v.published_at,
        })
        .collect();
    Ok(SummaryView {
        year,
        office,
        started: !sections.is_empty(),
        pending: sections.iter().filter(|s| s.status != SUBMITTED).count(),
        sections,
        versions,
    })
}

/// Lays out the year's sections from the default template, each owned by its office.
pub async fn start(db: &Db, account: &Account, year: i32, source: &str) -> Result<usize> {
    crate::require(account.role, Permission::DraftSummary)?;
    check_year(year)?;
    let county = account.county();
    let sections: Vec<(String, String)> = doc::split(doc::DEFAULT_TEMPLATE)
        .map_err(template_errors)?
        .into_iter()
        .map(|s| (s.office, s.text))
        .collect();
    let mut tx = db.begin().await?;
    if !store::start(&mut tx, county, year, &sections, &account.username).await? {
        return Err(invalid("year", format!("{year}年度工作总结已开始起草")));
    }
    Entry::new(county, "start", "summary", &year.to_string())
        .after_json(&serde_json::json!({ "sections": sections.len() }))
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(sections.len())
}

/// An office saves its section's text (`submit`: and hands it in for review): only an
/// officer of the section's office, or an administrator, may (`access::may_draft_section`).
/// The text must keep the section's heading level and office; every problem names its line.
pub async fn save_section(
    db: &Db,
    account: &Account,
    id: i64,
    text: &str,
    submit: bool,
    source: &str,
) -> Result<()> {
    crate::require(account.role, Permission::DraftSummary)?;
    let county = account.county();
    if text.chars().count() > doc::MAX_TEMPLATE_CHARS {
        return Err(invalid(
            "text",
            format!("一节不能超过{}字", doc::MAX_TEMPLATE_CHARS),
        ));
    }
    let mut tx = db.begin().await?;
    let (year, section) = store::section_in(&mut tx, county, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let office = emis_storage::users::office(db, &account.username).await?;
    if !may_draft_section(account.role, office.as_deref(), &section.office) {
        let yours = match &office {
            Some(o) => format!("您的账号属于{o}"),
            None => "您的账号未设置股室（请系统管理员在 系统管理 › 账号 设置）".to_string(),
        };
        return Err(invalid(
            "text",
            format!(
                "本节由{}起草，只有{}的股室账号和系统管理员可以修改；{yours}",
                section.office, section.office
            ),
        ));
    }
    if section.status == SUBMITTED {
        return Err(AppError::Conflict(
            "本节已提交审核，退回后才能修改".to_string(),
        ));
    }
    let (level, _) = heading_of(&section.source);
    let checked = doc::check_section(text, level, &section.office).map_err(template_errors)?;
    // The whole document must still read: a section alone cannot see its neighbours.
    let others = store::sections(db, county, year as i32).await?;
    let whole = doc::join(others.iter().map(|s| {
        if s.id == id {
            checked.as_str()
        } else {
            s.source.as_str()
        }
    }));
    doc::parse(&whole).map_err(template_errors)?;
    let status = if submit { SUBMITTED } else { DRAFTING };
    store::update_section(&mut tx, id, &checked, status, None, &account.username).await?;
    Entry::new(
        county,
        if submit { "submit" } else { "update" },
        "summary_section",
        &id.to_string(),
    )
    .before_json(&serde_json::json!({ "source": section.source, "status": section.status }))
    .after_json(&serde_json::json!({ "source": checked, "status": status }))
    .record(&mut tx, &account.actor(source))
    .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

/// The leader sends a submitted section back to its office, saying why.
pub async fn send_back(
    db: &Db,
    account: &Account,
    id: i64,
    reason: &str,
    source: &str,
) -> Result<()> {
    crate::require(account.role, Permission::PublishSummary)?;
    let county = account.county();
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(invalid("reason", "请填写退回原因"));
    }
    if reason.chars().count() > emis_domain::limits::FREE_TEXT {
        return Err(invalid(
            "reason",
            format!("退回原因不能超过{}字", emis_domain::limits::FREE_TEXT),
        ));
    }
    let mut tx = db.begin().await?;
    let (_, section) = store::section_in(&mut tx, county, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if section.status != SUBMITTED {
        return Err(AppError::Conflict("只能退回已提交的章节".to_string()));
    }
    store::update_section(
        &mut tx,
        id,
        &section.source,
        RETURNED,
        Some(reason),
        &account.username,
    )
    .await?;
    Entry::new(county, "return", "summary_section", &id.to_string())
        .before_json(&serde_json::json!({ "status": section.status }))
        .after_json(&serde_json::json!({ "status": RETURNED, "reason": reason }))
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

/// Publishes the year's summary once every section is submitted: the whole text and the
/// figures of today are stored, so later record changes do not change it. Returns the
/// version number.
pub async fn publish(
    db: &Db,
    account: &Account,
    year: i32,
    issued_on: NaiveDate,
    source: &str,
) -> Result<i64> {
    crate::require(account.role, Permission::PublishSummary)?;
    check_year(year)?;
    let county = account.county();
    let sections = store::sections(db, county, year).await?;
    if sections.is_empty() {
        return Err(invalid("year", format!("{year}年度工作总结尚未开始起草")));
    }
    let pending: Vec<String> = sections
        .iter()
        .filter(|s| s.status != SUBMITTED)
        .map(|s| format!("{}（{}，{}）", heading_of(&s.source).1, s.office, s.status))
        .collect();
    if !pending.is_empty() {
        return Err(invalid(
            "year",
            format!("以下章节尚未提交，不能发布：{}", pending.join("、")),
        ));
    }
    let template = doc::join(sections.iter().map(|s| s.source.as_str()));
    doc::parse(&template).map_err(template_errors)?;
    let frozen = figures(db, county, year).await?.freeze().to_json();
    let mut tx = db.begin().await?;
    let version = store::publish(
        &mut tx,
        county,
        year,
        &template,
        &frozen,
        &issued_on.to_string(),
        &account.username,
    )
    .await?;
    Entry::new(county, "publish", "summary", &format!("{year}#{version}"))
        .after_json(&serde_json::json!({ "version": version, "issued_on": issued_on.to_string() }))
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(version)
}

/// A figure whose published value differs from what the records say today.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct FigureChange {
    pub code: String,
    pub name: String,
    pub published: String,
    pub live: String,
}

/// A published version as it was published, and what changed since.
pub struct Published {
    pub version: VersionView,
    pub document: Rendered,
    pub changes: Vec<FigureChange>,
}

/// A published version (`None`: the latest) rendered from its frozen figures, with the
/// figures that differ from the live ones.
pub async fn published(
    db: &Db,
    account: &Account,
    year: i32,
    version: Option<i64>,
) -> Result<Published> {
    crate::require(account.role, Permission::ReadSummary)?;
    check_year(year)?;
    let county = account.county();
    let versions = store::versions(db, county, year).await?;
    let row = match version {
        Some(v) => versions.into_iter().find(|r| r.version == v),
        None => versions.into_iter().next(),
    }
    .ok_or(AppError::NotFound)?;
    let template = doc::parse(&row.template).map_err(template_errors)?;
    let frozen = Frozen::from_json(&row.figures_json).map_err(AppError::Refused)?;
    let issued_on: NaiveDate = row
        .issued_on
        .parse()
        .map_err(|_| AppError::Refused(format!("发布日期“{}”无法读取", row.issued_on)))?;
    let (live, previous) = figures_and_previous(db, county, year).await?;
    let issuer = issuer(county);
    let document = doc::render(
        &template,
        &frozen.thaw(),
        Some(&previous),
        &issuer,
        issued_on,
    );
    let live = doc::render(&template, &live, None, &issuer, issued_on);
    let changes = document
        .figures
        .iter()
        .filter_map(|f| {
            let now = live.figures.iter().find(|l| l.code == f.code)?;
            (now.text != f.text).then(|| FigureChange {
                code: f.code.clone(),
                name: f.name.clone(),
                published: f.text.clone(),
                live: now.text.clone(),
            })
        })
        .collect();
    Ok(Published {
        version: VersionView {
            version: row.version,
            issued_on: row.issued_on,
            published_by: row.published_by,
            published_at: row.published_at,
        },
        document,
        changes,
    })
}

// ------------------------------------------------------------------------- dashboard

/// One figure of the dashboard: this year's and the previous year's, and the change.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct DashboardFigure {
    pub code: String,
    pub name: String,
    pub module: String,
    /// As the summary writes it (`79067人次`, `【未录入：…】`).
    pub current: String,
    /// The previous year's, where its records exist.
    pub previous: Option<String>,
    /// `up`, `down`, `same`, or none when either year has no figure.
    pub trend: Option<String>,
    pub link: Option<String>,
}

#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Dashboard {
    pub year: i32,
    pub figures: Vec<DashboardFigure>,
}

/// 领导驾驶舱: the summary's figures for `year` against the year before, by module.
pub async fn dashboard(db: &Db, account: &Account, year: i32) -> Result<Dashboard> {
    crate::require(account.role, Permission::ReadSummary)?;
    check_year(year)?;
    let county = account.county();
    let (current, previous) = figures_and_previous(db, county, year).await?;
    let template = doc::parse(doc::DEFAULT_TEMPLATE).map_err(template_errors)?;
    let rendered = doc::render(
        &template,
        &current,
        Some(&previous),
        &issuer(county),
        NaiveDate::from_ymd_opt(year + 1, 1, 1).unwrap_or_default(),
    );
    let value = |set: &FigureSet, code: &str| -> Option<f64> {
        if set.unrecorded.contains(doc::module_of(code)) {
            return None;
        }
        match set.values.get(code)? {
            emis_domain::indicators::Value::Count(n) => Some(*n as f64),
            emis_domain::indicators::Value::Fen(n)
            | emis_domain::indicators::Value::Hundredths(n) => Some(*n as f64),
            emis_domain::indicators::Value::Rate(r) => r.is_finite().then_some(*r),
        }
    };
    let mut figures: Vec<DashboardFigure> = rendered
        .figures
        .into_iter()
        .map(|f| {
            let trend = match (value(&current, &f.code), value(&previous, &f.code)) {
                (Some(now), Some(before)) if now > before => Some("up"),
                (Some(now), Some(before)) if now < before => Some("down"),
                (Some(_), Some(_)) => Some("same"),
                _ => None,
            };
            DashboardFigure {
                code: f.code,
                name: f.name,
                module: f.module.to_string(),
                current: f.text,
                previous: f.previous,
                trend: trend.map(str::to_string),
                link: f.link,
            }
        })
        .collect();
    let order = doc::modules();
    figures.sort_by_key(|f| order.iter().position(|m| *m == f.module));
    Ok(Dashboard { year, figures })
}
