//! 荣誉与竞赛: one register for schools, teachers, students and teams (the `honours`
//! import and the offices' form read a row by the same rules, [`check`]), the register with
//! its year's summary (titled schools, competition results by event, level and prize), and
//! the `schools.titled.*` figures.

use crate::auth::Account;
use crate::fields::invalid;
use crate::Result;
use chrono::{Datelike, NaiveDate};
use emis_domain::access::{Permission, Scope};
use emis_domain::honours::{
    parse_prize, summarise, titled_as, HonourKind, Level, Placing, PrizeCount, SubjectKind, TITLED,
};
use emis_domain::indicators::Value;
use emis_domain::limits::{check_len, NAME, SHORT_TEXT};
use emis_domain::registry::{School, StaffRecord};
use emis_storage::audit::Entry;
use emis_storage::honours::{self as store, HonourRow, NewHonour};
use emis_storage::Db;
use std::collections::{BTreeSet, HashMap};

/// An honour as written: a sheet row or the form.
#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct HonourForm {
    /// 对象类型: 学校 / 教师 / 学生 / 团体.
    pub subject_kind: String,
    /// 对象: 学校标识码, 身份证件号 or the team's name.
    pub subject: String,
    /// 姓名 (optional; checked against the roll for a person).
    pub person_name: String,
    /// 学校标识码 of a team (optional).
    pub school: String,
    pub title: String,
    pub kind: String,
    pub level: String,
    pub granted_by: String,
    pub granted_on: String,
    /// 等次 (optional).
    pub prize: String,
    /// 项目 (optional).
    pub event: String,
}

/// What a row is checked against: the county's schools, staff and the students it names.
pub(crate) struct Known<'a> {
    pub schools: &'a HashMap<String, School>,
    pub staff: &'a HashMap<String, StaffRecord>,
    /// Students by ID number: (name, school of their latest term).
    pub students: &'a HashMap<String, (String, String)>,
    /// The scope whose schools the writer may record for (`None`: the whole county).
    pub scope: Option<&'a Scope>,
    pub today: NaiveDate,
}

/// One refusal: the form's field, the sheet's column and the reason.
pub(crate) type Problem = (&'static str, &'static str, String);

/// Reads one honour; every problem of the row is returned, each with its field and column.
pub(crate) fn check(
    raw: &HonourForm,
    known: &Known,
) -> std::result::Result<NewHonour, Vec<Problem>> {
    let mut problems: Vec<Problem> = Vec::new();
    let mut refuse = |field, column, reason: String| problems.push((field, column, reason));
    let text = |v: &str| v.trim().to_string();
    let kind_of = SubjectKind::parse(&raw.subject_kind);
    if kind_of.is_none() {
        refuse(
            "subject_kind",
            "对象类型",
            format!(
                "对象类型“{}”无法识别，应为 {}",
                raw.subject_kind.trim(),
                SubjectKind::choices()
            ),
        );
    }
    let subject = text(&raw.subject);
    let in_scope = |school: &str| match (known.scope, known.schools.get(school)) {
        (Some(scope), Some(s)) => scope.admits_school(&s.code, &s.township_code),
        _ => true,
    };
    let mut school_code: Option<String> = None;
    let mut person_name: Option<String> = None;
    let mut subject_key = subject.clone();
    if subject.is_empty() {
        refuse("subject", "对象", "对象不能为空".into());
    } else if let Some(kind) = kind_of {
        match kind {
            SubjectKind::School => match known.schools.get(&subject) {
                Some(s) => school_code = Some(s.code.clone()),
                None => refuse(
                    "subject",
                    "对象",
                    format!("学校标识码 {subject} 不在本县学校名单中"),
                ),
            },
            SubjectKind::Teacher | SubjectKind::Student => {
                match emis_domain::identity::IdNumber::parse(&subject) {
                    Err(e) => refuse("subject", "对象", e.to_string()),
                    Ok(id) => {
                        subject_key = id.as_str().to_string();
                        let found = if kind == SubjectKind::Teacher {
                            known
                                .staff
                                .get(id.as_str())
                                .map(|m| (m.name.clone(), m.school_code.clone()))
                        } else {
                            known.students.get(id.as_str()).cloned()
                        };
                        let roll = if kind == SubjectKind::Teacher {
                            "教职工名册"
                        } else {
                            "学籍"
                        };
                        match found {
                            None => refuse(
                                "subject",
                                "对象",
                                format!(
                                    "身份证件号 {} 不在本县{roll}中",
                                    emis_domain::identity::mask_id(id.as_str())
                                ),
                            ),
                            Some((name, school)) => {
                                let given = raw.person_name.trim();
                                if !given.is_empty() && given != name {
                                    refuse(
                                        "person_name",
                                        "姓名",
                                        format!("姓名“{given}”与{roll}中该身份证件号的姓名“{name}”不一致"),
                                    );
                                }
                                person_name = Some(name);
                                school_code = Some(school);
                            }
                        }
                    }
                }
            }
            SubjectKind::Team => {
                if let Err(m) = check_len("团体名称", &subject, NAME) {
                    refuse("subject", "对象", m);
                }
                let school = raw.school.trim();
                if !school.is_empty() {
                    match known.schools.get(school) {
                        Some(s) => school_code = Some(s.code.clone()),
                        None => refuse(
                            "school",
                            "学校标识码",
                            format!("学校标识码 {school} 不在本县学校名单中"),
                        ),
                    }
                }
            }
        }
    }
    if let Some(code) = &school_code {
        if !in_scope(code) {
            refuse("subject", "对象", "该对象不属于本单位管辖的学校".into());
        }
    } else if kind_of.is_some() && known.scope.is_some_and(|s| !s.is_county()) {
        refuse("subject", "对象", "全县性的团体荣誉由县教育局登记".into());
    }
    let title = text(&raw.title);
    if title.is_empty() {
        refuse("title", "名称", "名称不能为空".into());
    } else if let Err(m) = check_len("名称", &title, SHORT_TEXT) {
        refuse("title", "名称", m);
    }
    let kind = HonourKind::parse(&raw.kind);
    if kind.is_none() {
        refuse(
            "kind",
            "类别",
            format!(
                "类别“{}”无法识别，应为 {}",
                raw.kind.trim(),
                HonourKind::choices()
            ),
        );
    }
    let level = Level::parse(&raw.level);
    if level.is_none() {
        refuse(
            "level",
            "级别",
            format!(
                "级别“{}”无法识别，应为 {}",
                raw.level.trim(),
                Level::choices()
            ),
        );
    }
    let granted_by = text(&raw.granted_by);
    if granted_by.is_empty() {
        refuse("granted_by", "授予单位", "授予单位不能为空".into());
    } else if let Err(m) = check_len("授予单位", &granted_by, SHORT_TEXT) {
        refuse("granted_by", "授予单位", m);
    }
    let on = emis_domain::dates::parse_date(&raw.granted_on);
    match on {
        None => refuse(
            "granted_on",
            "日期",
            format!("日期“{}”无法识别，应如 2021-09-01", raw.granted_on.trim()),
        ),
        Some(d) if d > known.today => refuse("granted_on", "日期", format!("日期 {d} 晚于今天")),
        Some(_) => {}
    }
    let prize = match raw.prize.trim() {
        "" => None,
        p => {
            let read = parse_prize(p);
            if read.is_none() {
                refuse(
                    "prize",
                    "等次",
                    format!("等次“{p}”无法识别，应如 一等奖、二等奖、三等奖、第1名"),
                );
            }
            read
        }
    };
    if kind == Some(HonourKind::Competition) && raw.prize.trim().is_empty() {
        refuse("prize", "等次", "竞赛须填写等次（如 一等奖、第1名）".into());
    }
    let event = text(&raw.event);
    if let Err(m) = check_len("项目", &event, SHORT_TEXT) {
        refuse("event", "项目", m);
    }
    let (Some(subject_kind), Some(kind), Some(level), Some(on), true) =
        (kind_of, kind, level, on, problems.is_empty())
    else {
        return Err(problems);
    };
    Ok(NewHonour {
        subject_kind,
        subject_key,
        school_code,
        person_name,
        title,
        kind,
        level,
        granted_by,
        granted_on: on.to_string(),
        prize,
        event,
    })
}

/// Whether a scope reads an honour: the county all, a township or a school those of its
/// schools (county-wide teams are the county's).
fn admits(scope: &Scope, h: &HonourRow) -> bool {
    scope.admits_record(h.school_code.as_deref(), h.township_code.as_deref())
}

/// What the register is asked for.
#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct HonourFilter {
    pub year: Option<i32>,
    pub kind: Option<String>,
    pub level: Option<String>,
    pub subject_kind: Option<String>,
}

/// An honour as shown: a person's ID number masked.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct HonourView {
    #[serde(flatten)]
    pub honour: HonourRow,
    /// Who or what: the school's name, the person's name with the masked ID, the team.
    pub subject: String,
}

/// The register of a year with its summary.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct HonourRegister {
    pub rows: Vec<HonourView>,
    /// (indicator code, schools) for the titled schools of the year.
    pub titled: Vec<(String, i64)>,
    /// Competition results of the year by event, level and prize.
    pub prizes: Vec<PrizeCount>,
}

fn shown(h: HonourRow) -> HonourView {
    let subject = match h.subject_kind {
        SubjectKind::School => h
            .school_name
            .clone()
            .unwrap_or_else(|| h.subject_key.clone()),
        SubjectKind::Teacher | SubjectKind::Student => format!(
            "{}（{}）",
            h.person_name.as_deref().unwrap_or(""),
            emis_domain::identity::mask_id(&h.subject_key)
        ),
        SubjectKind::Team => h.subject_key.clone(),
    };
    HonourView { honour: h, subject }
}

pub async fn register(db: &Db, account: &Account, filter: &HonourFilter) -> Result<HonourRegister> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    let pick = |raw: &Option<String>| raw.clone().filter(|t| !t.trim().is_empty());
    let kind = pick(&filter.kind).and_then(|k| HonourKind::parse(&k));
    let level = pick(&filter.level).and_then(|l| Level::parse(&l));
    let subject_kind = pick(&filter.subject_kind).and_then(|s| SubjectKind::parse(&s));
    let year_rows: Vec<HonourRow> = store::honours(db, account.county())
        .await?
        .into_iter()
        .filter(|h| admits(&account.scope, h))
        .filter(|h| {
            filter
                .year
                .is_none_or(|y| h.granted_on.starts_with(&format!("{y}-")))
        })
        .collect();
    let titled = titled_counts(&year_rows)
        .into_iter()
        .map(|(c, n)| (c.to_string(), n))
        .collect();
    // Competitions in the order the year held them (their items are on each row).
    let prizes = summarise(
        year_rows
            .iter()
            .rev()
            .filter(|h| h.kind == HonourKind::Competition)
            .map(|h| Placing {
                event: &h.title,
                level: h.level,
                prize: h.prize.as_deref().unwrap_or(""),
            }),
    );
    let rows = year_rows
        .into_iter()
        .filter(|h| kind.is_none_or(|k| k == h.kind))
        .filter(|h| level.is_none_or(|l| l == h.level))
        .filter(|h| subject_kind.is_none_or(|s| s == h.subject_kind))
        .map(shown)
        .collect();
    Ok(HonourRegister {
        rows,
        titled,
        prizes,
    })
}

/// Distinct schools per `schools.titled.*` code among `rows`.
fn titled_counts(rows: &[HonourRow]) -> Vec<(&'static str, i64)> {
    let mut schools: HashMap<&'static str, BTreeSet<&str>> = HashMap::new();
    for h in rows {
        if let Some(code) = titled_as(h.subject_kind, &h.title) {
            schools.entry(code).or_default().insert(&h.subject_key);
        }
    }
    TITLED
        .iter()
        .map(|c| (*c, schools.get(c).map_or(0, |s| s.len() as i64)))
        .collect()
}

/// Records one honour from the form (the bureau's offices), audited; the same honour
/// recorded before is refused.
pub async fn record(
    db: &Db,
    account: &Account,
    form: &HonourForm,
    today: NaiveDate,
    source: &str,
) -> Result<()> {
    crate::require(account.role, Permission::KeepHonours)?;
    let county = account.county();
    let schools: HashMap<String, School> = emis_storage::registry::schools(db, county)
        .await?
        .into_iter()
        .map(|s| (s.code.clone(), s))
        .collect();
    let staff = emis_storage::registry::load_staff(db, county).await?;
    let id = form.subject.trim().to_uppercase();
    let students = store::students_by_id(db, county, std::slice::from_ref(&id)).await?;
    let known = Known {
        schools: &schools,
        staff: &staff,
        students: &students,
        scope: Some(&account.scope),
        today,
    };
    let honour = check(form, &known).map_err(|mut problems| {
        let (field, _, reason) = problems.remove(0);
        invalid(field, reason)
    })?;
    if store::keys(db, county).await?.contains(&honour.key()) {
        return Err(invalid(
            "title",
            "这项荣誉已登记过（同一对象、名称、项目和日期）",
        ));
    }
    let mut tx = db.begin().await?;
    store::insert_honours(
        &mut tx,
        county,
        std::slice::from_ref(&honour),
        &account.username,
    )
    .await?;
    let mut logged = honour.clone();
    if matches!(
        logged.subject_kind,
        SubjectKind::Teacher | SubjectKind::Student
    ) {
        logged.subject_key = emis_domain::identity::mask_id(&logged.subject_key);
    }
    Entry::new(county, "create", "honour", &honour.title)
        .after_json(&logged)
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

/// The year's `schools.titled.*` for the org unit a scope names.
pub async fn indicators_of(
    db: &Db,
    scope: &Scope,
    year: i32,
) -> Result<Vec<(&'static str, Value)>> {
    let rows: Vec<HonourRow> = store::honours(db, scope.county())
        .await?
        .into_iter()
        .filter(|h| admits(scope, h))
        .filter(|h| {
            h.granted_on
                .parse::<NaiveDate>()
                .is_ok_and(|d| d.year() == year)
        })
        .collect();
    Ok(titled_counts(&rows)
        .into_iter()
        .map(|(c, n)| (c, Value::Count(n)))
        .collect())
}

pub async fn indicators(db: &Db, county: &str, year: i32) -> Result<Vec<(&'static str, Value)>> {
    let scope = Scope::County {
        county: county.to_string(),
    };
    indicators_of(db, &scope, year).await
}

/// The register in the import template's columns (ID numbers masked unless `id` shows them).
pub(crate) async fn export_rows(
    db: &Db,
    county: &str,
    id: &dyn Fn(&str) -> String,
    in_scope: &dyn Fn(&str) -> bool,
) -> Result<Vec<Vec<String>>> {
    Ok(store::honours(db, county)
        .await?
        .into_iter()
        .filter(|h| h.school_code.as_deref().is_none_or(in_scope))
        .map(|h| {
            let subject = match h.subject_kind {
                SubjectKind::Teacher | SubjectKind::Student => id(&h.subject_key),
                _ => h.subject_key.clone(),
            };
            let team_school = if h.subject_kind == SubjectKind::Team {
                h.school_code.clone().unwrap_or_default()
            } else {
                String::new()
            };
            vec![
                h.subject_kind.label().to_string(),
                subject,
                h.title,
                h.kind.label().to_string(),
                h.level.label().to_string(),
                h.granted_by,
                h.granted_on,
                h.prize.unwrap_or_default(),
                h.event,
                h.person_name.unwrap_or_default(),
                team_school,
            ]
        })
        .collect())
}
