//! 学区与距离: the zone and distance imports, the zone table and its export rows, and
//! the zone editor.

use super::{parse_entry_grade, require_plan, school_taking, SheetReport, ENTRY_GRADES};
use crate::auth::Account;
use crate::imports::RowCheck;
use crate::{AppError, Result};
use emis_domain::enrollment::{Community, DistanceEntry, Zone};
use emis_domain::registry::Grade;
use emis_io::{Column, Table};
use emis_storage::audit::Entry;
use emis_storage::enrollment as store;
use emis_storage::{registry, Db};
use std::collections::{BTreeMap, HashMap, HashSet};

pub const ZONE_COLUMNS: &[Column] = &[
    Column::required("学校标识码"),
    Column::required("年级"),
    Column::required("社区编码").with_aliases(&["社区(村)编码", "村(社区)编码"]),
    Column::optional("社区名称").with_aliases(&["社区(村)名称", "村(社区)名称", "社区或村"]),
    Column::optional("所属乡镇"),
];

pub const DISTANCE_COLUMNS: &[Column] = &[
    Column::required("社区编码").with_aliases(&["社区(村)编码"]),
    Column::required("学校标识码"),
    Column::required("距离(米)").with_aliases(&["距离", "距离（米）", "米"]),
];

/// Zones of a year for both entry grades, with community names.
pub async fn zone_table(
    db: &Db,
    county: &str,
    year: i32,
) -> Result<Vec<(Grade, Zone, Vec<(String, String)>)>> {
    let names: HashMap<String, String> = store::communities(db, county)
        .await?
        .into_iter()
        .map(|c| (c.code, c.name))
        .collect();
    let mut out = Vec::new();
    for grade in ENTRY_GRADES {
        for z in store::zones(db, county, year, grade).await? {
            let named = z
                .communities
                .iter()
                .map(|c| (c.clone(), names.get(c).cloned().unwrap_or_default()))
                .collect();
            out.push((grade, z, named));
        }
    }
    Ok(out)
}

/// Imports zones: for every (grade) in the file, the file's zones replace that grade's
/// zones of the year. All-or-nothing; every bad row is named.
pub async fn import_zones(
    db: &Db,
    account: &Account,
    year: i32,
    table: &Table<'_>,
    source: &str,
) -> Result<SheetReport> {
    require_plan(account)?;
    let county = account.county();
    let mut report = SheetReport::from_table(table, ZONE_COLUMNS);
    let schools: HashMap<String, emis_domain::registry::School> = registry::schools(db, county)
        .await?
        .into_iter()
        .map(|s| (s.code.clone(), s))
        .collect();
    let known: HashMap<String, Community> = store::communities(db, county)
        .await?
        .into_iter()
        .map(|c| (c.code.clone(), c))
        .collect();
    let xupu = emis_domain::divisions::county(county);
    let mut zones: BTreeMap<(Grade, String), Vec<String>> = BTreeMap::new();
    let mut seen: HashMap<(Grade, String), u32> = HashMap::new();
    let mut new_communities: Vec<Community> = Vec::new();
    for row in &table.rows {
        let c = &row.cells;
        let mut check = RowCheck::new(row.number, &mut report.problems, &mut report.warnings);
        let school = check.required("学校标识码", &c[0]).and_then(|code| {
            let s = schools.get(code);
            if s.is_none() {
                check.refuse(
                    "学校标识码",
                    format!("学校标识码 {code} 不在本县学校名单中"),
                );
            }
            s
        });
        let grade = check.required("年级", &c[1]).and_then(|g| {
            let parsed = parse_entry_grade(g);
            if parsed.is_none() {
                check.refuse("年级", format!("年级“{g}”应为 一年级 或 七年级"));
            }
            parsed
        });
        if let (Some(s), Some(g)) = (school, grade) {
            if !s.school_type.teaches(g) {
                check.refuse(
                    "年级",
                    format!("{}（{}）不招收{}", s.name, s.school_type.label(), g.label()),
                );
            }
        }
        let community = check.required("社区编码", &c[2]).map(str::to_string);
        if let Some(code) = &community {
            if !known.contains_key(code) && !new_communities.iter().any(|n| &n.code == code) {
                if c[3].is_empty() {
                    check.refuse(
                        "社区名称",
                        format!("社区编码 {code} 是新社区，请填写社区名称"),
                    );
                } else {
                    let township = if c[4].is_empty() {
                        school.map(|s| s.township_code.clone())
                    } else {
                        xupu.and_then(|x| x.township(&c[4]))
                            .map(|t| t.code.to_string())
                    };
                    match township {
                        Some(t) => new_communities.push(Community {
                            code: code.clone(),
                            name: c[3].clone(),
                            township_code: t,
                        }),
                        // Without a known school the row is refused for that already.
                        None if c[4].is_empty() => {}
                        None => check.refuse("所属乡镇", format!("乡镇“{}”不在本县", c[4])),
                    }
                }
            }
            if let Some(g) = grade {
                if let Some(first) = seen.get(&(g, code.clone())) {
                    check.refuse(
                        "社区编码",
                        format!(
                            "社区 {code} 在第{first}行已划入{}学区，一个社区只能属于一个学区",
                            g.label()
                        ),
                    );
                } else {
                    seen.insert((g, code.clone()), row.number);
                }
            }
        }
        if check.failed {
            continue;
        }
        if let (Some(s), Some(g), Some(code)) = (school, grade, community) {
            zones.entry((g, s.code.clone())).or_default().push(code);
        }
    }
    if !report.problems.is_empty() {
        report.problems.sort_by_key(|p| p.row);
        return Ok(report.capped());
    }
    let mut tx = db.begin().await?;
    store::upsert_communities(&mut tx, county, &new_communities).await?;
    for grade in ENTRY_GRADES {
        let list: Vec<Zone> = zones
            .iter()
            .filter(|((g, _), _)| *g == grade)
            .map(|((g, s), cs)| Zone {
                school_code: s.clone(),
                grade: *g,
                communities: cs.clone(),
            })
            .collect();
        if list.is_empty() {
            continue;
        }
        store::replace_zones(&mut tx, county, year, grade, &list).await?;
    }
    report.written = table.rows.len();
    Entry::new(county, "import", "zones", &year.to_string())
        .after_json(
            &serde_json::json!({"rows": report.written, "new_communities": new_communities.len()}),
        )
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    report.committed = true;
    Ok(report.capped())
}

/// The zones of a year as rows of the zone template.
pub async fn zone_rows(db: &Db, county: &str, year: i32) -> Result<Vec<Vec<String>>> {
    let communities: HashMap<String, Community> = store::communities(db, county)
        .await?
        .into_iter()
        .map(|c| (c.code.clone(), c))
        .collect();
    let xupu = emis_domain::divisions::county(county);
    let mut rows = Vec::new();
    for (grade, zone, _) in zone_table(db, county, year).await? {
        for code in &zone.communities {
            let c = communities.get(code);
            rows.push(vec![
                zone.school_code.clone(),
                grade.label().to_string(),
                code.clone(),
                c.map(|c| c.name.clone()).unwrap_or_default(),
                c.and_then(|c| xupu.and_then(|x| x.township(&c.township_code)))
                    .map(|t| t.name.to_string())
                    .unwrap_or_default(),
            ]);
        }
    }
    Ok(rows)
}

/// Moves one community into a school's zone for a grade (the zone editor).
pub async fn set_zone(
    db: &Db,
    account: &Account,
    year: i32,
    grade: Grade,
    community: &str,
    school: &str,
    source: &str,
) -> Result<()> {
    require_plan(account)?;
    let county = account.county();
    if !store::communities(db, county)
        .await?
        .iter()
        .any(|c| c.code == community)
    {
        return Err(AppError::Refused(format!("社区编码 {community} 不存在")));
    }
    school_taking(db, county, school, grade).await?;
    let mut zones = store::zones(db, county, year, grade).await?;
    for z in &mut zones {
        z.communities.retain(|c| c != community);
    }
    match zones.iter_mut().find(|z| z.school_code == school) {
        Some(z) => z.communities.push(community.to_string()),
        None => zones.push(Zone {
            school_code: school.to_string(),
            grade,
            communities: vec![community.to_string()],
        }),
    }
    let mut tx = db.begin().await?;
    store::replace_zones(&mut tx, county, year, grade, &zones).await?;
    Entry::new(county, "update", "zone", community)
        .after_json(&serde_json::json!({"year": year, "grade": grade.label(), "school": school}))
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

/// Imports the distance table (rows replace the same pairs). All-or-nothing.
pub async fn import_distances(
    db: &Db,
    account: &Account,
    table: &Table<'_>,
    source: &str,
) -> Result<SheetReport> {
    require_plan(account)?;
    let county = account.county();
    let mut report = SheetReport::from_table(table, DISTANCE_COLUMNS);
    let schools: HashSet<String> = registry::schools(db, county)
        .await?
        .into_iter()
        .map(|s| s.code)
        .collect();
    let communities: HashSet<String> = store::communities(db, county)
        .await?
        .into_iter()
        .map(|c| c.code)
        .collect();
    let mut rows = Vec::new();
    for row in &table.rows {
        let c = &row.cells;
        let mut check = RowCheck::new(row.number, &mut report.problems, &mut report.warnings);
        let community = check.required("社区编码", &c[0]).map(str::to_string);
        if let Some(code) = &community {
            if !communities.contains(code) {
                check.refuse(
                    "社区编码",
                    format!("社区编码 {code} 不存在（请先导入学区）"),
                );
            }
        }
        let school = check.required("学校标识码", &c[1]).map(str::to_string);
        if let Some(code) = &school {
            if !schools.contains(code) {
                check.refuse(
                    "学校标识码",
                    format!("学校标识码 {code} 不在本县学校名单中"),
                );
            }
        }
        let metres = check.required("距离(米)", &c[2]).and_then(|m| {
            let parsed = emis_domain::text::fold_width(m)
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0 && *v < 1.0e7);
            if parsed.is_none() {
                check.refuse("距离(米)", format!("距离“{m}”应为米数，如 850"));
            }
            parsed
        });
        if check.failed {
            continue;
        }
        if let (Some(community), Some(school_code), Some(m)) = (community, school, metres) {
            rows.push(DistanceEntry {
                community,
                school_code,
                metres: m.round() as u32,
            });
        }
    }
    if !report.problems.is_empty() {
        report.problems.sort_by_key(|p| p.row);
        return Ok(report.capped());
    }
    let mut tx = db.begin().await?;
    store::upsert_distances(&mut tx, county, &rows).await?;
    report.written = rows.len();
    Entry::new(county, "import", "distances", county)
        .after_json(&serde_json::json!({"rows": rows.len()}))
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    report.committed = true;
    Ok(report.capped())
}
