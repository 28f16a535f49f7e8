//! 台账 ledgers and the dashboard: counts by township, what changed between snapshots,
//! the ledgers in the scope and their export in the county layout.

use super::to_domain;
use crate::{AppError, Result};
use chrono::NaiveDate;
use emis_domain::access::Scope;
use emis_domain::dropout::cases::{self, CaseStatus, Outcome};
use emis_domain::identity::{mask_id, mask_phone};
use emis_domain::term::Term;
use emis_storage::audit::Actor;
use emis_storage::dropout::{self as store, CaseRow, LedgerQuery, PersonRow};
use emis_storage::Db;
use serde::Serialize;
use std::collections::HashSet;
use std::path::Path;

#[derive(Clone, Debug, Default, Serialize, schemars::JsonSchema)]
pub struct TownshipLine {
    pub township_code: String,
    pub township: String,
    pub suspected: i64,
    pub open: i64,
    pub overdue: i64,
    pub closed: i64,
    /// (outcome category, count)
    pub by_outcome: Vec<(String, i64)>,
}

#[derive(Clone, Debug, Default, Serialize, schemars::JsonSchema)]
#[schemars(rename = "DropoutDashboard")]
pub struct Dashboard {
    pub snapshot: Option<store::SnapshotRow>,
    pub lines: Vec<TownshipLine>,
    pub total: TownshipLine,
    pub outcome_categories: Vec<String>,
    /// The latest snapshot against the one before it, in the scope.
    pub changes: Option<SnapshotChanges>,
    /// 送教上门 children of the year of the latest snapshot: (term label, count) for spring
    /// and autumn, in the scope.
    pub home_teaching: Vec<(String, i64)>,
    /// 重点关注群体 of the latest roll in the scope: 留守儿童 and 随迁子女.
    pub risk_groups: RiskGroups,
}

/// The students dropout control watches for their circumstances (留守儿童, 随迁子女 as the
/// national 学籍 export marks them), on the latest term's roll in the scope.
#[derive(Clone, Debug, Default, Serialize, schemars::JsonSchema)]
pub struct RiskGroups {
    /// The term of the roll read, as its label; empty without a roll.
    pub term: String,
    pub left_behind: i64,
    pub migrant: i64,
    /// The students, ID numbers masked: the first [`RISK_GROUP_LISTED`].
    pub students: Vec<RiskStudent>,
}

/// How many risk-group students the dashboard lists (the counts cover them all).
pub const RISK_GROUP_LISTED: usize = 200;

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct RiskStudent {
    pub id: i64,
    pub name: String,
    pub id_masked: String,
    pub school: String,
    pub class: String,
    pub status: String,
    /// 留守儿童 (单亲 or 双亲) and/or 随迁子女.
    pub groups: String,
}

/// The risk groups of the latest term's roll in the scope.
pub async fn risk_groups(db: &Db, scope: &Scope) -> Result<RiskGroups> {
    let Some(term) = emis_storage::registry::latest_term(db, scope.county()).await? else {
        return Ok(RiskGroups::default());
    };
    let rows = store::risk_group_students(db, scope, &term).await?;
    let mut groups = RiskGroups {
        term: Term::parse(&term).map(|t| t.label()).unwrap_or(term),
        ..RiskGroups::default()
    };
    for row in rows {
        let facts = emis_domain::national::NationalFacts {
            left_behind: row
                .left_behind
                .as_deref()
                .and_then(emis_domain::national::LeftBehind::parse),
            migrant: row.migrant.map(|m| m != 0),
            ..Default::default()
        };
        let named = facts.risk_groups();
        if named.contains(&"留守儿童") {
            groups.left_behind += 1;
        }
        if named.contains(&"随迁子女") {
            groups.migrant += 1;
        }
        if groups.students.len() < RISK_GROUP_LISTED {
            let groups_text = match (facts.left_behind, named.contains(&"随迁子女")) {
                (Some(l), true) if l.is_left_behind() => format!("{l}、随迁子女"),
                (Some(l), false) if l.is_left_behind() => l.label().to_string(),
                _ => "随迁子女".to_string(),
            };
            groups.students.push(RiskStudent {
                id: row.id,
                name: row.name,
                id_masked: mask_id(&row.id_number),
                school: row.school_name,
                class: format!("{}{}班", row.grade, row.class_number),
                status: row.status.label().to_string(),
                groups: groups_text,
            });
        }
    }
    Ok(groups)
}

/// What changed in the 疑似辍学 ledger from one snapshot to the next.
#[derive(Clone, Debug, Default, Serialize, schemars::JsonSchema)]
pub struct SnapshotChanges {
    pub previous: String,
    pub current: String,
    /// Suspected now, not on the previous snapshot's 疑似辍学 ledger.
    pub newly_suspected: Vec<ChangedChild>,
    /// On the previous 疑似辍学 ledger, not any more: with what the comparison says now.
    pub no_longer_suspected: Vec<ChangedChild>,
}

#[derive(Clone, Debug, Default, Serialize, schemars::JsonSchema)]
pub struct ChangedChild {
    pub name: String,
    pub id_masked: String,
    /// 户籍乡镇 (name)
    pub township: String,
    /// The finding on the previous snapshot (newly suspected) or now (no longer suspected);
    /// 不在名册中 when the person is not on that snapshot.
    pub other_finding: String,
}

/// Compares the 疑似辍学 ledgers of two snapshots in the scope.
pub async fn snapshot_changes(
    db: &Db,
    scope: &Scope,
    previous: &store::SnapshotRow,
    current: &store::SnapshotRow,
) -> Result<SnapshotChanges> {
    let suspected = LedgerQuery::of(store::Ledger::Suspected);
    let before = store::ledger(db, scope, previous.id, &suspected, i64::MAX / 2).await?;
    let now = store::ledger(db, scope, current.id, &suspected, i64::MAX / 2).await?;
    let ids = |rows: &[PersonRow]| -> HashSet<String> {
        rows.iter().map(|r| r.id_number.clone()).collect()
    };
    let (before_ids, now_ids) = (ids(&before), ids(&now));
    let newly: Vec<&PersonRow> = now
        .iter()
        .filter(|r| !before_ids.contains(&r.id_number))
        .collect();
    let gone: Vec<&PersonRow> = before
        .iter()
        .filter(|r| !now_ids.contains(&r.id_number))
        .collect();
    Ok(SnapshotChanges {
        previous: previous.snapshot_date.clone(),
        current: current.snapshot_date.clone(),
        newly_suspected: changed_children(db, scope.county(), previous.id, &newly).await?,
        no_longer_suspected: changed_children(db, scope.county(), current.id, &gone).await?,
    })
}

/// The children with what another snapshot says of them, in one pass over it.
async fn changed_children(
    db: &Db,
    county: &str,
    other_snapshot: i64,
    rows: &[&PersonRow],
) -> Result<Vec<ChangedChild>> {
    let wanted: Vec<String> = rows.iter().map(|r| r.id_number.clone()).collect();
    let found: std::collections::HashMap<String, String> =
        store::persons_by_ids(db, other_snapshot, &wanted)
            .await?
            .into_iter()
            .map(|p| (p.id_number, p.finding.unwrap_or_else(|| "非适龄".into())))
            .collect();
    Ok(rows
        .iter()
        .map(|r| ChangedChild {
            name: r.name.clone(),
            id_masked: mask_id(&r.id_number),
            township: emis_domain::divisions::county(county)
                .and_then(|d| d.township(&r.township_code))
                .map(|t| t.name.to_string())
                .unwrap_or_else(|| r.township_code.clone()),
            other_finding: found
                .get(&r.id_number)
                .cloned()
                .unwrap_or_else(|| "不在名册中".into()),
        })
        .collect())
}

fn outcome_categories() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for o in Outcome::ALL {
        if !out.iter().any(|c| c == o.category()) {
            out.push(o.category().to_string());
        }
    }
    out
}

fn category_of(label: &str) -> String {
    Outcome::parse(label)
        .map(|o| o.category().to_string())
        .unwrap_or_else(|| label.to_string())
}

/// The dashboard by township over the cases in the scope.
pub async fn dashboard(db: &Db, scope: &Scope, today: NaiveDate) -> Result<Dashboard> {
    let county = scope.county();
    let snapshots = store::snapshots(db, county).await?;
    let mut snapshot = snapshots.first().cloned();
    // A township or a school reads the figures of its own township(s), not the county's.
    if let Some(s) = snapshot.as_mut().filter(|_| !scope.is_county()) {
        let townships: Vec<String> = emis_storage::lists::townships(db, scope)
            .await?
            .into_iter()
            .map(|(code, _)| code)
            .collect();
        (s.school_age, s.suspected, s.probable, s.not_in_school) =
            store::snapshot_counts_in(db, s.id, &townships).await?;
    }
    let changes = match (snapshots.first(), snapshots.get(1)) {
        (Some(current), Some(previous)) => {
            Some(snapshot_changes(db, scope, previous, current).await?)
        }
        _ => None,
    };
    let year = snapshot
        .as_ref()
        .and_then(|s| s.snapshot_date.parse::<NaiveDate>().ok())
        .map(|d| chrono::Datelike::year(&d))
        .unwrap_or_else(|| chrono::Datelike::year(&today));
    let mut home_teaching = Vec::new();
    for term in [Term::spring(year), Term::autumn(year)] {
        let plans = store::plans(db, scope, &term.code(), i64::MAX / 2).await?;
        home_teaching.push((term.label(), plans.len() as i64));
    }
    let (lines, total) = case_lines(db, scope, today).await?;
    Ok(Dashboard {
        snapshot,
        lines,
        total,
        outcome_categories: outcome_categories(),
        changes,
        home_teaching,
        risk_groups: risk_groups(db, scope).await?,
    })
}

/// The cases in the scope counted by township (in code order) and in total, as of
/// `today`: the dashboard's table and the home page's 待办 and chart.
pub async fn case_lines(
    db: &Db,
    scope: &Scope,
    today: NaiveDate,
) -> Result<(Vec<TownshipLine>, TownshipLine)> {
    let county = scope.county();
    let all = store::cases(
        db,
        scope,
        &store::CaseQuery {
            limit: 1_000_000,
            ..Default::default()
        },
    )
    .await?;
    let categories = outcome_categories();
    let divisions = emis_domain::divisions::county(county);
    let mut lines: Vec<TownshipLine> = Vec::new();
    let mut total = TownshipLine {
        township: "合计".into(),
        by_outcome: categories.iter().map(|c| (c.clone(), 0)).collect(),
        ..TownshipLine::default()
    };
    for c in &all {
        let at = match lines
            .iter()
            .position(|l| l.township_code == c.township_code)
        {
            Some(i) => i,
            None => {
                lines.push(TownshipLine {
                    township_code: c.township_code.clone(),
                    township: divisions
                        .and_then(|d| d.township(&c.township_code))
                        .map(|t| t.name.to_string())
                        .unwrap_or_else(|| c.township_code.clone()),
                    by_outcome: categories.iter().map(|c| (c.clone(), 0)).collect(),
                    ..TownshipLine::default()
                });
                lines.len() - 1
            }
        };
        let domain = to_domain(c, &[]);
        let overdue = cases::is_overdue(&domain, today);
        for line in [&mut lines[at], &mut total] {
            line.suspected += 1;
            if c.status == CaseStatus::Closed {
                line.closed += 1;
                let cat = category_of(c.outcome.as_deref().unwrap_or(""));
                if let Some(slot) = line.by_outcome.iter_mut().find(|(k, _)| *k == cat) {
                    slot.1 += 1;
                }
            } else {
                line.open += 1;
            }
            if overdue {
                line.overdue += 1;
            }
        }
    }
    lines.sort_by(|a, b| a.township_code.cmp(&b.township_code));
    Ok((lines, total))
}

// ---------------------------------------------------------------------------------------
// Ledgers

/// A ledger of the query's snapshot (the latest when none) in the scope, filtered.
pub async fn ledger(
    db: &Db,
    scope: &Scope,
    query: &LedgerQuery,
    limit: i64,
) -> Result<(Option<store::SnapshotRow>, Vec<PersonRow>)> {
    let county = scope.county();
    let snapshot = match &query.snapshot {
        Some(date) => store::snapshot_by_date(db, county, date).await?,
        None => store::snapshots(db, county).await?.into_iter().next(),
    };
    let Some(snapshot) = snapshot else {
        return Ok((None, Vec::new()));
    };
    let rows = store::ledger(db, scope, snapshot.id, query, limit).await?;
    Ok((Some(snapshot), rows))
}

/// One page of a ledger (`per_page` rows of page `page`, 1-based) with the number of people
/// it lists in all: paged and counted in the database.
pub async fn ledger_paged(
    db: &Db,
    scope: &Scope,
    query: &LedgerQuery,
    page: i64,
    per_page: i64,
) -> Result<(Option<store::SnapshotRow>, Vec<PersonRow>, i64)> {
    let county = scope.county();
    let snapshot = match &query.snapshot {
        Some(date) => store::snapshot_by_date(db, county, date).await?,
        None => store::snapshots(db, county).await?.into_iter().next(),
    };
    let Some(snapshot) = snapshot else {
        return Ok((None, Vec::new(), 0));
    };
    let total = store::ledger_count(db, scope, snapshot.id, query).await?;
    let pages = ((total + per_page - 1) / per_page.max(1)).max(1);
    let page = page.clamp(1, pages);
    let rows = store::ledger_page(
        db,
        scope,
        snapshot.id,
        query,
        per_page,
        (page - 1) * per_page,
    )
    .await?;
    Ok((Some(snapshot), rows, total))
}

pub const LEDGER_HEADERS: &[&str] = &[
    "序号",
    "户籍乡镇",
    "户籍村(社区)",
    "姓名",
    "性别",
    "出生日期",
    "身份证件号",
    "监护人",
    "联系电话",
    "比对结果",
    "学校标识码",
    "疑似匹配",
    "脱贫户",
    "案件状态",
    "处理结果",
];

/// Writes a ledger to .xlsx (or .csv) in the county layout; ID and phone masked unless
/// `unmasked`, which is audited. Returns the number of rows.
pub async fn export_ledger(
    db: &Db,
    scope: &Scope,
    query: &LedgerQuery,
    out: &Path,
    unmasked: bool,
    actor: &Actor,
) -> Result<usize> {
    let which = query.ledger;
    let (snapshot, rows) = ledger(db, scope, query, i64::MAX / 2).await?;
    let Some(snapshot) = snapshot else {
        return Err(AppError::Refused("尚未导入户籍适龄人口名册".into()));
    };
    let county = scope.county();
    let divisions = emis_domain::divisions::county(county);
    let cases = store::all_cases(db, county).await?;
    let mut case_by_id: std::collections::HashMap<&str, &CaseRow> =
        std::collections::HashMap::new();
    for c in &cases {
        case_by_id.insert(c.person_id_number.as_str(), c);
    }
    let lines = rows.iter().enumerate().map(|(i, p)| {
        let case = case_by_id.get(p.id_number.as_str());
        vec![
            (i + 1).to_string(),
            divisions
                .and_then(|d| d.township(&p.township_code))
                .map(|t| t.name.to_string())
                .unwrap_or_else(|| p.township_code.clone()),
            p.village.clone().unwrap_or_default(),
            p.name.clone(),
            p.sex.clone(),
            p.birth_date.clone(),
            if unmasked {
                p.id_number.clone()
            } else {
                mask_id(&p.id_number)
            },
            p.guardian.clone().unwrap_or_default(),
            match &p.phone {
                Some(ph) if unmasked => ph.clone(),
                Some(ph) => mask_phone(ph),
                None => String::new(),
            },
            p.finding.clone().unwrap_or_default(),
            p.school_code.clone().unwrap_or_default(),
            p.candidate_reason.clone().unwrap_or_default(),
            if p.poverty { "是" } else { "" }.to_string(),
            case.map(|c| c.status.label().to_string())
                .unwrap_or_default(),
            case.and_then(|c| c.outcome.clone()).unwrap_or_default(),
        ]
    });
    let title = format!("{}台账（{}）", which.label(), snapshot.snapshot_date);
    emis_io::write_sheet(out, &title, LEDGER_HEADERS, lines)?;
    crate::exports::record_export(
        db,
        actor,
        crate::exports::ExportAudit {
            county,
            kind: "population_ledger",
            key: which.code(),
            filter: serde_json::json!({
                "scope": crate::exports::scope_json(scope),
                "ledger": which.code(),
                "snapshot": snapshot.snapshot_date,
                "township": query.township,
                "school": query.school,
                // A search may be a full ID number: only whether one was given is kept.
                "searched": query.q.as_deref().is_some_and(|q| !q.trim().is_empty()),
            }),
            rows: rows.len() as u64,
            unmasked,
        },
    )
    .await?;
    Ok(rows.len())
}
