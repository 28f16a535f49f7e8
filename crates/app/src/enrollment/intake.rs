//! 招生计划与报名: the schools' intake plans and the applicant import.

use super::{require_plan, school_taking, SheetReport};
use crate::auth::Account;
use crate::imports::RowCheck;
use crate::Result;
use emis_domain::enrollment::{Applicant, Community, PriorityCategory, SchoolCapacity};
use emis_domain::registry::{parse_yes_no, Grade, Sex};
use emis_io::{Column, Table};
use emis_storage::audit::Entry;
use emis_storage::enrollment as store;
use emis_storage::{registry, Db};
use std::collections::{HashMap, HashSet};

/// Sets a school's intake plan (classes of the standard size) for a year and grade.
pub async fn set_plan(
    db: &Db,
    account: &Account,
    year: i32,
    grade: Grade,
    school: &str,
    classes: u32,
    source: &str,
) -> Result<()> {
    require_plan(account)?;
    let county = account.county();
    let rules = store::settings(db, county).await?;
    school_taking(db, county, school, grade).await?;
    let plan = SchoolCapacity {
        school_code: school.to_string(),
        grade,
        classes,
        class_size: rules.standard_size(grade),
    };
    let mut tx = db.begin().await?;
    store::set_plans(&mut tx, county, year, std::slice::from_ref(&plan)).await?;
    Entry::new(county, "update", "intake_plan", school)
        .after_json(&plan)
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

// ---------------------------------------------------------------- applicants

pub const APPLICANT_COLUMNS: &[Column] = &[
    Column::required("姓名"),
    crate::imports::ID_NUMBER_COLUMN,
    Column::required("社区或村").with_aliases(&["社区(村)", "村(社区)", "社区编码", "居住社区"]),
    Column::optional("性别"),
    Column::optional("户籍在片区").with_aliases(&["户籍"]),
    Column::optional("房产在片区").with_aliases(&["房产"]),
    Column::optional("兄姐在读学校").with_aliases(&["兄姐在校"]),
    Column::optional("优先类别").with_aliases(&["政策性照顾"]),
    Column::optional("随迁子女"),
    Column::optional("成绩"),
    Column::optional("身份证件类型").with_aliases(&["证件类型"]),
];

/// Imports applicants for a year and entry grade, validated like the student import:
/// every bad row named, nothing written unless every row is good.
pub async fn import_applicants(
    db: &Db,
    account: &Account,
    year: i32,
    grade: Grade,
    table: &Table<'_>,
    source: &str,
) -> Result<SheetReport> {
    require_plan(account)?;
    let county = account.county();
    let mut report = SheetReport::from_table(table, APPLICANT_COLUMNS);
    let communities = store::communities(db, county).await?;
    let by_code: HashMap<&str, &Community> =
        communities.iter().map(|c| (c.code.as_str(), c)).collect();
    let by_name: HashMap<&str, &Community> =
        communities.iter().map(|c| (c.name.as_str(), c)).collect();
    let schools: HashSet<String> = registry::schools(db, county)
        .await?
        .into_iter()
        .map(|s| s.code)
        .collect();
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut list = Vec::new();
    for row in &table.rows {
        let c = &row.cells;
        let mut check = RowCheck::new(row.number, &mut report.problems, &mut report.warnings);
        let name = check.required("姓名", &c[0]).map(str::to_string);
        // A child without a mainland ID card applies with its own document (性别 then
        // from its column), keyed as the registry keys students.
        let document = check.document_type(&c[10]);
        let person = check.person(document, &c[1], None);
        if let Some(key) = person.as_ref().map(|p| &p.key) {
            if let Some(first) = seen.get(key) {
                check.refuse("身份证件号", format!("身份证件号与第{first}行重复"));
            } else {
                seen.insert(key.clone(), row.number);
            }
        }
        let id = person.as_ref().and_then(|p| p.resident.clone());
        let community = check.required("社区或村", &c[2]).and_then(|v| {
            let found = by_code
                .get(v)
                .or_else(|| by_name.get(v))
                .map(|c| c.code.clone());
            if found.is_none() {
                check.refuse(
                    "社区或村",
                    format!("社区或村“{v}”不在社区名单中（请先导入学区）"),
                );
            }
            found
        });
        let sex = if c[3].is_empty() {
            if person.is_some() && id.is_none() {
                check.refuse("性别", "证件不是居民身份证的报名学生须填写性别");
            }
            id.as_ref().map(|i| i.sex())
        } else {
            let parsed = Sex::parse(&c[3]);
            match (parsed, &id) {
                (None, _) => {
                    check.refuse("性别", format!("性别应为“男”或“女”，实为“{}”", c[3]));
                    None
                }
                (Some(s), Some(i)) if s != i.sex() => {
                    check.warn("性别", "性别与身份证件号不一致，以填写的性别为准");
                    Some(s)
                }
                (s, _) => s,
            }
        };
        let mut flag = |column: &str, value: &str| -> bool {
            match parse_yes_no(value) {
                Some(b) => b,
                None => {
                    check.refuse(column, format!("{column}应为“是”或“否”，实为“{value}”"));
                    false
                }
            }
        };
        let hukou = flag("户籍在片区", &c[4]);
        let property = flag("房产在片区", &c[5]);
        let migrant = flag("随迁子女", &c[8]);
        let sibling = (!c[6].is_empty()).then(|| c[6].clone());
        if let Some(s) = &sibling {
            if !schools.contains(s) {
                check.refuse("兄姐在读学校", format!("学校标识码 {s} 不在本县学校名单中"));
            }
        }
        let mut priority: Vec<PriorityCategory> = Vec::new();
        for part in c[7]
            .split(['、', ',', '，', ';', '；', ' '])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match PriorityCategory::parse(part) {
                Some(p) if !priority.contains(&p) => priority.push(p),
                Some(_) => {}
                None => check.refuse(
                    "优先类别",
                    format!(
                        "优先类别“{part}”应为 军人子女、乡村教师子女、随迁子女 或 其他政策性照顾"
                    ),
                ),
            }
        }
        if migrant && !priority.contains(&PriorityCategory::MigrantWorkerChild) {
            priority.push(PriorityCategory::MigrantWorkerChild);
        }
        let score = if c[9].is_empty() {
            None
        } else {
            let parsed = emis_domain::text::fold_width(&c[9])
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0);
            if parsed.is_none() {
                check.refuse("成绩", format!("成绩“{}”应为数字", c[9]));
            }
            parsed
        };
        if check.failed {
            continue;
        }
        if let (Some(name), Some(person), Some(community), Some(sex)) =
            (name, person, community, sex)
        {
            list.push(Applicant {
                id: person.key,
                name,
                sex,
                community,
                hukou_in_zone: hukou,
                owns_property: property,
                sibling_at_school: sibling,
                priority,
                score,
            });
        }
    }
    if !report.problems.is_empty() {
        report.problems.sort_by_key(|p| p.row);
        return Ok(report.capped());
    }
    let mut tx = db.begin().await?;
    store::upsert_applicants(&mut tx, county, year, grade, &list).await?;
    report.written = list.len();
    let key = format!("{year}-{}", grade.label());
    Entry::new(county, "import", "applicants", &key)
        .after_json(&serde_json::json!({"rows": list.len()}))
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    report.committed = true;
    Ok(report.capped())
}
