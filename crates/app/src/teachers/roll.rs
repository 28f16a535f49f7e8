//! 教职工名册: the staff of the account's scope broken down by school, stage, subject,
//! title, age band and channel (the filters narrow every breakdown and the list), and one
//! teacher's page with their history.

use super::admits;
use crate::auth::Account;
use crate::masked::{self, Masked};
use crate::{AppError, Result};
use chrono::NaiveDate;
use emis_domain::access::Permission;
use emis_domain::identity::IdNumber;
use emis_domain::registry::{PostType, School, StaffRecord};
use emis_domain::teachers::{age_band, AGE_BANDS};
use emis_storage::teachers::{
    self as store, AwardRow, ConductCaseRow, MoveRow, TeacherRow, TeacherTrainingRow, TraineeRow,
};
use emis_storage::{registry, Db};
use std::collections::{BTreeMap, HashMap};

/// The roll's filters; blank ones are not applied.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize, schemars::JsonSchema)]
pub struct RollFilter {
    pub township: Option<String>,
    pub school: Option<String>,
    /// 学段 by school type (小学, 初级中学, …).
    pub stage: Option<String>,
    pub post: Option<String>,
    pub subject: Option<String>,
    pub title: Option<String>,
    pub age: Option<String>,
    pub channel: Option<String>,
    /// The column the roll is ordered by ([`ROLL_SORTS`]); school then name otherwise.
    #[serde(default)]
    pub sort: Option<String>,
    #[serde(default)]
    pub desc: bool,
}

/// The columns the roll may be ordered by: 姓名, 学校, 职称, 入职日期.
pub const ROLL_SORTS: &[&str] = &["name", "school", "title", "start"];

/// One bar of a breakdown.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct RollCount {
    pub label: String,
    pub count: usize,
}

/// A member of staff in the roll's list.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct RollMember {
    pub id: i64,
    pub name: String,
    pub id_number: String,
    pub school_name: String,
    pub post_type: String,
    pub subject: String,
    pub title: String,
    pub age_band: String,
    pub channel: String,
    pub start_date: String,
}

masked::masks! {
    RollMember { id: id_number }
    TeacherRow { id: id_number }
}

/// The roll of the scope under a filter: the breakdowns and one page of the list.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct RollOverview {
    pub total: usize,
    pub teachers: usize,
    pub by_township: Vec<RollCount>,
    pub by_stage: Vec<RollCount>,
    pub by_post: Vec<RollCount>,
    pub by_subject: Vec<RollCount>,
    pub by_title: Vec<RollCount>,
    pub by_age: Vec<RollCount>,
    pub by_channel: Vec<RollCount>,
    /// The choices of each filter (every value in the scope).
    pub subjects: Vec<String>,
    pub titles: Vec<String>,
    pub page: emis_storage::lists::Page<Masked<RollMember>>,
}

/// The text a blank field is counted under.
const BLANK: &str = "未填";

fn counts(values: impl Iterator<Item = String>, order: Option<&[&str]>) -> Vec<RollCount> {
    let mut map: BTreeMap<String, usize> = BTreeMap::new();
    for v in values {
        *map.entry(v).or_default() += 1;
    }
    let mut out: Vec<RollCount> = map
        .into_iter()
        .map(|(label, count)| RollCount { label, count })
        .collect();
    match order {
        Some(order) => out.sort_by_key(|c| {
            order
                .iter()
                .position(|o| *o == c.label)
                .unwrap_or(usize::MAX)
        }),
        None => out.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label))),
    }
    out
}

/// A member of staff with what the breakdowns read.
struct Member<'a> {
    record: &'a StaffRecord,
    school: &'a School,
    township: String,
    stage: &'static str,
    age: &'static str,
}

/// What the roll reads: the county's staff and schools, the scope's township names and
/// the staff rows' ids.
struct Roll {
    staff: HashMap<String, StaffRecord>,
    schools: HashMap<String, School>,
    townships: HashMap<String, String>,
    ids: HashMap<String, i64>,
}

impl Roll {
    async fn read(db: &Db, account: &Account) -> Result<Roll> {
        crate::require(account.role, Permission::WholeSchoolReads)?;
        let county = account.county();
        Ok(Roll {
            staff: registry::load_staff(db, county).await?,
            schools: registry::schools(db, county)
                .await?
                .into_iter()
                .map(|s| (s.code.clone(), s))
                .collect(),
            townships: emis_storage::lists::townships(db, &account.scope)
                .await?
                .into_iter()
                .collect(),
            ids: store::staff_ids(db, county).await?,
        })
    }

    /// The members of the account's scope (every one, before the filter).
    fn members(&self, account: &Account, today: NaiveDate) -> Vec<Member<'_>> {
        self.staff
            .values()
            .filter_map(|r| {
                let school = self.schools.get(&r.school_code)?;
                admits(account, &school.code, &school.township_code).then(|| Member {
                    record: r,
                    school,
                    township: self
                        .townships
                        .get(&school.township_code)
                        .cloned()
                        .unwrap_or_else(|| school.township_code.clone()),
                    stage: school.school_type.label(),
                    age: IdNumber::parse(&r.id_number)
                        .map(|id| age_band(id.birth_date(), today))
                        .unwrap_or(BLANK),
                })
            })
            .collect()
    }

    /// A member as the list and the export show them.
    fn row(&self, m: &Member) -> RollMember {
        let r = m.record;
        RollMember {
            id: self.ids.get(&r.id_number).copied().unwrap_or(0),
            name: r.name.clone(),
            id_number: r.id_number.clone(),
            school_name: m.school.name.clone(),
            post_type: r.post_type.label().to_string(),
            subject: r.subject.clone().unwrap_or_default(),
            title: r.title.clone().unwrap_or_default(),
            age_band: m.age.to_string(),
            channel: r.channel.map(|c| c.label().to_string()).unwrap_or_default(),
            start_date: r.start_date.map(|d| d.to_string()).unwrap_or_default(),
        }
    }
}

/// Keeps the members the filter admits, in school then name order.
fn filtered<'a>(mut members: Vec<Member<'a>>, filter: &RollFilter) -> Vec<Member<'a>> {
    let is = |wanted: &Option<String>, value: &str| {
        wanted
            .as_deref()
            .map(str::trim)
            .is_none_or(|w| w.is_empty() || w == value)
    };
    members.retain(|m| {
        let r = m.record;
        is(&filter.township, &m.school.township_code)
            && is(&filter.school, &m.school.code)
            && is(&filter.stage, m.stage)
            && is(&filter.post, r.post_type.label())
            && is(&filter.subject, r.subject.as_deref().unwrap_or(BLANK))
            && is(&filter.title, r.title.as_deref().unwrap_or(BLANK))
            && is(&filter.age, m.age)
            && is(
                &filter.channel,
                r.channel.map(|c| c.label()).unwrap_or(BLANK),
            )
    });
    members.sort_by(|a, b| {
        (&a.school.code, &a.record.name, &a.record.id_number).cmp(&(
            &b.school.code,
            &b.record.name,
            &b.record.id_number,
        ))
    });
    // Then by the column asked for; ties keep school-then-name order (a stable sort).
    match filter.sort.as_deref() {
        Some("name") => members.sort_by(|a, b| a.record.name.cmp(&b.record.name)),
        Some("title") => members.sort_by(|a, b| a.record.title.cmp(&b.record.title)),
        Some("start") => members.sort_by_key(|a| a.record.start_date),
        _ => {}
    }
    if filter.desc {
        members.reverse();
    }
    members
}

/// The columns of the roll's export, in order.
pub const ROLL_COLUMNS: &[&str] = &[
    "姓名",
    "身份证件号",
    "学校",
    "岗位类别",
    "任教学科",
    "职称",
    "年龄段",
    "补充渠道",
    "入职日期",
];

/// Writes the filtered roll of the account's scope (every member, ID numbers masked) to an
/// xlsx file and audits the export; returns the rows written.
pub async fn write_roll(
    db: &Db,
    account: &Account,
    filter: &RollFilter,
    today: NaiveDate,
    path: &std::path::Path,
    source: &str,
) -> Result<u64> {
    let roll = Roll::read(db, account).await?;
    let members = filtered(roll.members(account, today), filter);
    let rows = members.iter().map(|m| {
        let r = Masked::new(roll.row(m)).into_inner();
        vec![
            r.name,
            r.id_number,
            r.school_name,
            r.post_type,
            r.subject,
            r.title,
            r.age_band,
            r.channel,
            r.start_date,
        ]
    });
    let written = emis_io::write_sheet(path, "教职工名册", ROLL_COLUMNS, rows)?;
    crate::exports::record_export(
        db,
        &account.actor(source),
        crate::exports::ExportAudit {
            county: account.county(),
            kind: "staff_roll",
            key: "teachers",
            filter: serde_json::json!({
                "scope": crate::exports::scope_json(&account.scope),
                "filter": filter,
            }),
            rows: written,
            unmasked: false,
        },
    )
    .await?;
    Ok(written)
}

/// The roll of the account's scope, filtered, with one page of its members.
pub async fn overview(
    db: &Db,
    account: &Account,
    filter: &RollFilter,
    today: NaiveDate,
    page: i64,
    per_page: i64,
) -> Result<RollOverview> {
    let roll = Roll::read(db, account).await?;
    let all = roll.members(account, today);
    let mut subjects: Vec<String> = all
        .iter()
        .filter_map(|m| m.record.subject.clone())
        .collect();
    subjects.sort();
    subjects.dedup();
    let mut titles: Vec<String> = all.iter().filter_map(|m| m.record.title.clone()).collect();
    titles.sort();
    titles.dedup();
    let members = filtered(all, filter);
    let teachers: Vec<&Member> = members
        .iter()
        .filter(|m| m.record.post_type == PostType::Teacher)
        .collect();
    let per_page = per_page.clamp(1, 500);
    let page = page.max(1);
    let items = members
        .iter()
        .skip(((page - 1) * per_page) as usize)
        .take(per_page as usize)
        .map(|m| roll.row(m))
        .collect();
    let post_order: Vec<&str> = PostType::ALL.iter().map(|p| p.label()).collect();
    let channel_order: Vec<&str> = emis_domain::registry::RecruitChannel::ALL
        .iter()
        .map(|c| c.label())
        .chain([BLANK])
        .collect();
    Ok(RollOverview {
        total: members.len(),
        teachers: teachers.len(),
        by_township: counts(members.iter().map(|m| m.township.clone()), None),
        by_stage: counts(members.iter().map(|m| m.stage.to_string()), None),
        by_post: counts(
            members
                .iter()
                .map(|m| m.record.post_type.label().to_string()),
            Some(&post_order),
        ),
        by_subject: counts(
            teachers
                .iter()
                .map(|m| m.record.subject.clone().unwrap_or_else(|| BLANK.into())),
            None,
        ),
        by_title: counts(
            members
                .iter()
                .map(|m| m.record.title.clone().unwrap_or_else(|| BLANK.into())),
            None,
        ),
        by_age: counts(members.iter().map(|m| m.age.to_string()), Some(AGE_BANDS)),
        by_channel: counts(
            members.iter().map(|m| {
                m.record
                    .channel
                    .map(|c| c.label())
                    .unwrap_or(BLANK)
                    .to_string()
            }),
            Some(&channel_order),
        ),
        subjects,
        titles,
        page: emis_storage::lists::Page {
            items: Masked::all(items),
            total: members.len() as i64,
            page,
            per_page,
        },
    })
}

/// A teacher's page: the record and their history.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct TeacherHistory {
    pub teacher: Masked<TeacherRow>,
    pub age_band: String,
    pub moves: Vec<MoveRow>,
    pub trainings: Vec<TeacherTrainingRow>,
    /// The year looked at (the pages' year: the latest with trainings), its
    /// continuing-education cycle, the completed hours (tenths) in the cycle up to the year's
    /// end, and what is due by then (whole hours).
    pub year: i32,
    pub cycle: (i32, i32),
    pub cycle_hours: i64,
    pub hours_due: u32,
    pub behind: bool,
    pub studios: Vec<(i64, String, String)>,
    pub awards: Vec<Masked<AwardRow>>,
    /// Only for the roles that handle conduct cases; `None` for the others.
    pub conduct: Option<Vec<Masked<ConductCaseRow>>>,
    pub trainee: Option<Masked<TraineeRow>>,
}

/// One member of staff of the account's scope, with their history; hours are counted for
/// the cycle of `year`.
pub async fn teacher(
    db: &Db,
    account: &Account,
    id: i64,
    year: i32,
    today: NaiveDate,
) -> Result<TeacherHistory> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    let county = account.county();
    let row = store::teacher(db, county, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !admits(account, &row.school_code, &row.township_code) {
        return Err(AppError::NotFound);
    }
    let id_number = row.id_number.clone();
    let (_, requirement) = store::teacher_settings(db, county).await?;
    let cycle = requirement.cycle_of(year);
    let trainings = store::trainings_of_teacher(db, county, &id_number).await?;
    let cycle_hours: i64 = trainings
        .iter()
        .filter(|t| t.completed)
        .filter(|t| {
            t.start_date.as_str() >= format!("{}-01-01", cycle.0).as_str()
                && t.start_date.as_str() <= format!("{year}-12-31").as_str()
        })
        .map(|t| t.hours)
        .sum();
    let conduct = if account.role.permits(Permission::HandleConduct) {
        Some(Masked::all(
            store::cases_of_teacher(db, county, &id_number).await?,
        ))
    } else {
        None
    };
    Ok(TeacherHistory {
        age_band: IdNumber::parse(&id_number)
            .map(|n| age_band(n.birth_date(), today))
            .unwrap_or(BLANK)
            .to_string(),
        moves: store::moves_of(db, county, &id_number).await?,
        trainings,
        year,
        cycle,
        cycle_hours,
        hours_due: requirement.due_by(year),
        behind: requirement.is_behind(cycle_hours, year),
        studios: store::studios_of_teacher(db, county, &id_number).await?,
        awards: Masked::all(store::awards_of_teacher(db, county, &id_number).await?),
        conduct,
        trainee: store::trainee(db, county, &id_number)
            .await?
            .map(Masked::new),
        teacher: Masked::new(row),
    })
}
