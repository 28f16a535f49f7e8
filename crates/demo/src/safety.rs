//! 安全管理 in the demo county, 2021: 12 monthly inspections of every school, 6 county-wide
//! campaigns, a few hundred hazards of the usual categories (every one rectified and
//! closed before its deadline and before the year ends), the county's waters (溆水 and its
//! tributaries, 山塘, reservoirs, 野泳点) with their measures and the 九长 chain, summer
//! patrols at the dangerous ones (a few missing, to be flagged), 十有 per township and
//! school, and the rule for which parents signed the letter.
//!
//! Pure and deterministic: its own ChaCha stream from the seed, so the registry's figures
//! do not move.
//!
//! The fixed lists it draws from (campaigns, hazard kinds, rivers) are in `catalog`.

use crate::names::VILLAGES;
use crate::rng::{between, chance, index, pick, Rng};
use chrono::{Datelike, Duration, NaiveDate};
use emis_domain::divisions::XUPU;
use emis_domain::registry::{School, StudentRecord};
use emis_domain::safety::drowning::{self, Measures};
use emis_domain::safety::CAMPAIGN_CHECKLIST;
use rand::SeedableRng;

mod catalog;

use catalog::{CAMPAIGNS, KINDS, MAJOR, RIVERS};

#[derive(Clone, Debug, PartialEq)]
pub struct Inspection {
    pub kind: &'static str,
    pub title: String,
    pub school_code: Option<String>,
    pub planned_on: NaiveDate,
    pub done_on: NaiveDate,
    pub checklist: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Hazard {
    /// Index into `Safety::inspections`.
    pub inspection: usize,
    pub school_code: String,
    pub place: String,
    pub category: &'static str,
    pub grade: &'static str,
    pub description: String,
    pub found_on: NaiveDate,
    pub responsible: String,
    pub measures: String,
    pub deadline: NaiveDate,
    pub budget_fen: i64,
    pub result: String,
    pub rectified_on: NaiveDate,
    pub review: String,
    pub closed_on: NaiveDate,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Water {
    pub township_code: &'static str,
    pub village: String,
    pub name: String,
    pub kind: &'static str,
    pub longitude: String,
    pub latitude: String,
    pub risk: &'static str,
    pub measures: Measures,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    pub level: &'static str,
    pub township_code: String,
    /// Index into `Safety::waters`.
    pub water: Option<usize>,
    pub village: Option<String>,
    pub school_code: Option<String>,
    pub class_label: Option<String>,
    pub role: &'static str,
    pub person: String,
    pub phone: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Patrol {
    pub water: usize,
    pub day: NaiveDate,
    pub slot: &'static str,
    pub patroller: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TenHave {
    pub org_code: String,
    pub item: &'static str,
    pub done: bool,
    pub evidence: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Safety {
    pub inspections: Vec<Inspection>,
    pub hazards: Vec<Hazard>,
    pub waters: Vec<Water>,
    pub chain: Vec<Link>,
    pub patrols: Vec<Patrol>,
    pub ten_haves: Vec<TenHave>,
    /// The (water, day) pairs left with fewer than two patrols.
    pub missing_patrols: Vec<(usize, NaiveDate)>,
    /// Checklist ticks: every school checks the whole list of its monthly inspections and of
    /// every campaign, so each shows complete progress by the end of the year.
    pub checks: Vec<Checks>,
}

/// A school's ticks of every item of an inspection's checklist, on one day.
#[derive(Clone, Debug, PartialEq)]
pub struct Checks {
    /// Index into [`Safety::inspections`].
    pub inspection: usize,
    pub school_code: String,
    pub checked_on: NaiveDate,
}

/// The parents of a student on the autumn roll signed the letter unless the student's
/// record id leaves this remainder when divided by [`LETTER_MODULUS`] (about one in 260).
pub const LETTER_UNSIGNED_REMAINDER: i64 = 17;
pub const LETTER_MODULUS: i64 = 263;

/// Whether the parents of the student with this record id signed (the demo's rule).
pub fn letter_signed(student_id: i64) -> bool {
    student_id % LETTER_MODULUS != LETTER_UNSIGNED_REMAINDER
}

fn phone(rng: &mut Rng) -> String {
    let head = pick(
        rng,
        &[
            "138", "139", "150", "151", "152", "158", "173", "180", "187", "199",
        ],
    );
    format!("{head}{:08}", between(rng, 0, 99_999_999))
}

fn name(rng: &mut Rng) -> String {
    crate::names::anyone_name(rng, 0.7)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Generates the safety records of 2021 for the schools and roll of the demo county.
pub fn generate(seed: u64, schools: &[School], students: &[StudentRecord]) -> Safety {
    let mut rng = Rng::seed_from_u64(seed ^ 0x5AFE_2021);
    let mut out = Safety::default();
    let checklist: Vec<String> = CAMPAIGN_CHECKLIST.iter().map(|s| s.to_string()).collect();
    let year = 2021;

    // Monthly inspections of every school (schools that open in autumn from September).
    let autumn_only: std::collections::HashSet<&str> = {
        let spring: std::collections::HashSet<&str> = students
            .iter()
            .filter(|s| s.term.season == emis_domain::term::Season::Spring)
            .map(|s| s.school_code.as_str())
            .collect();
        schools
            .iter()
            .map(|s| s.code.as_str())
            .filter(|c| !spring.contains(c))
            .collect()
    };
    for month in 1..=12u32 {
        for school in schools {
            if month < 9 && autumn_only.contains(school.code.as_str()) {
                continue;
            }
            let planned = day(year, month, 10);
            out.inspections.push(Inspection {
                kind: "月度排查",
                title: format!("{year}年{month}月安全隐患排查"),
                school_code: Some(school.code.clone()),
                planned_on: planned,
                done_on: planned + Duration::days(i64::from(between(&mut rng, 0, 8))),
                checklist: checklist.clone(),
            });
        }
    }
    let monthly = out.inspections.len();
    for (title, m, d) in CAMPAIGNS {
        let planned = day(year, *m, *d);
        out.inspections.push(Inspection {
            kind: "专项行动",
            title: format!("{year}年{title}"),
            school_code: None,
            planned_on: planned,
            done_on: planned + Duration::days(14),
            checklist: checklist.clone(),
        });
    }

    // Hazards: about 320, found in monthly inspections and campaigns.
    let total = between(&mut rng, 310, 335) as usize;
    let majors = 4;
    let school_index: std::collections::HashMap<&str, usize> = schools
        .iter()
        .enumerate()
        .map(|(i, s)| (s.code.as_str(), i))
        .collect();
    for n in 0..total {
        let from_campaign = chance(&mut rng, 0.3);
        let (inspection, school_code, found_on) = if from_campaign {
            let c = monthly + index(&mut rng, CAMPAIGNS.len());
            let school = &schools[index(&mut rng, schools.len())];
            let start = out.inspections[c].planned_on;
            let found = start + Duration::days(i64::from(between(&mut rng, 0, 13)));
            (c, school.code.clone(), found)
        } else {
            let i = index(&mut rng, monthly);
            let insp = &out.inspections[i];
            (
                i,
                insp.school_code.clone().unwrap_or_default(),
                insp.done_on,
            )
        };
        // Nothing found after 12月15日 (so every hazard can close within the year).
        let found_on = found_on.min(day(year, 12, 15));
        let major = n < majors;
        let (category, place, description, measures, result, (lo, hi)) = if major {
            MAJOR[n % MAJOR.len()]
        } else {
            *pick(&mut rng, KINDS)
        };
        let days = if major {
            between(&mut rng, 30, 90)
        } else {
            between(&mut rng, 3, 20)
        };
        let deadline = (found_on + Duration::days(i64::from(days))).min(day(year, 12, 28));
        let span = (deadline - found_on).num_days().max(1);
        let rectified_on =
            found_on + Duration::days(i64::from(between(&mut rng, 1, span as u32)).min(span));
        let closed_on = (rectified_on + Duration::days(i64::from(between(&mut rng, 0, 3))))
            .min(day(year, 12, 31));
        let budget_fen = i64::from(between(&mut rng, lo, hi.max(lo))) * 100;
        out.hazards.push(Hazard {
            inspection,
            school_code,
            place: place.to_string(),
            category,
            grade: if major { "重大" } else { "一般" },
            description: description.to_string(),
            found_on,
            responsible: name(&mut rng),
            measures: measures.to_string(),
            deadline,
            budget_fen,
            result: result.to_string(),
            rectified_on,
            review: "复查合格，同意销号".to_string(),
            closed_on,
        });
    }
    out.hazards.sort_by_key(|h| h.found_on);

    // Waters per township.
    for (t, township) in XUPU.townships.iter().enumerate() {
        let base_lon = 110.35 + (t % 5) as f64 * 0.11;
        let base_lat = 27.55 + (t / 5) as f64 * 0.1;
        let mut add = |rng: &mut Rng, kind: &'static str, name: String, risk: &'static str| {
            let village = format!("{}村", pick(rng, VILLAGES));
            let equipped = risk != "一般" || chance(rng, 0.5);
            let measures = Measures {
                sign: equipped || chance(rng, 0.5),
                pole: equipped,
                ring: equipped,
                rope: equipped,
                rail: kind == "河段" && chance(rng, 0.4),
                backfilled: false,
                closed: kind == "野泳点" && chance(rng, 0.2),
            };
            out.waters.push(Water {
                township_code: township.code,
                village: village.clone(),
                name: format!("{}{}", village.trim_end_matches('村'), name),
                kind,
                longitude: format!("{:.5}", base_lon + drowning_offset(rng)),
                latitude: format!("{:.5}", base_lat + drowning_offset(rng)),
                risk,
                measures,
            });
        };
        let river = RIVERS[t % RIVERS.len()];
        add(&mut rng, "河段", format!("{river}段"), "高");
        if chance(&mut rng, 0.5) {
            add(
                &mut rng,
                "河段",
                format!("{}段", RIVERS[(t + 3) % RIVERS.len()]),
                "较高",
            );
        }
        for _ in 0..between(&mut rng, 1, 3) {
            let risk = if chance(&mut rng, 0.5) {
                "较高"
            } else {
                "一般"
            };
            add(&mut rng, "山塘", "山塘".into(), risk);
        }
        if chance(&mut rng, 0.4) {
            add(&mut rng, "水库", "水库".into(), "高");
        }
        add(&mut rng, "野泳点", "野泳点".into(), "高");
    }
    // Names are unique per township (several ponds may share a village).
    let mut seen = std::collections::HashSet::new();
    for w in &mut out.waters {
        let mut name = w.name.clone();
        let mut k = 2;
        while !seen.insert((w.township_code, name.clone())) {
            name = format!("{}{k}号", w.name);
            k += 1;
        }
        w.name = name;
    }

    // The 九长 chain.
    out.chain.push(Link {
        level: "县",
        township_code: XUPU.townships[0].code.to_string(),
        water: None,
        village: None,
        school_code: None,
        class_label: None,
        role: "县长",
        person: name(&mut rng),
        phone: phone(&mut rng),
    });
    out.chain.push(Link {
        level: "县",
        township_code: XUPU.townships[0].code.to_string(),
        water: None,
        village: None,
        school_code: None,
        class_label: None,
        role: "局长",
        person: name(&mut rng),
        phone: phone(&mut rng),
    });
    for township in XUPU.townships {
        out.chain.push(Link {
            level: "乡镇",
            township_code: township.code.to_string(),
            water: None,
            village: None,
            school_code: None,
            class_label: None,
            role: "乡(镇)长",
            person: name(&mut rng),
            phone: phone(&mut rng),
        });
    }
    for (w, water) in out.waters.clone().iter().enumerate() {
        for (level, role) in [("水域", "河(库)长"), ("村", "村长"), ("村", "组长")] {
            out.chain.push(Link {
                level,
                township_code: water.township_code.to_string(),
                water: Some(w),
                village: Some(water.village.clone()),
                school_code: None,
                class_label: None,
                role,
                person: name(&mut rng),
                phone: phone(&mut rng),
            });
        }
    }
    let mut classes: Vec<(&str, String)> = students
        .iter()
        .filter(|s| s.term.season == emis_domain::term::Season::Autumn)
        .map(|s| {
            (
                s.school_code.as_str(),
                format!("{}{}班", s.grade.label(), s.class_number),
            )
        })
        .collect();
    classes.sort();
    classes.dedup();
    for school in schools {
        out.chain.push(Link {
            level: "学校",
            township_code: school.township_code.clone(),
            water: None,
            village: None,
            school_code: Some(school.code.clone()),
            class_label: None,
            role: "校长",
            person: name(&mut rng),
            phone: phone(&mut rng),
        });
    }
    for (code, label) in classes {
        let Some(&i) = school_index.get(code) else {
            continue;
        };
        out.chain.push(Link {
            level: "班级",
            township_code: schools[i].township_code.clone(),
            water: None,
            village: None,
            school_code: Some(code.to_string()),
            class_label: Some(label),
            role: "班长",
            person: name(&mut rng),
            phone: phone(&mut rng),
        });
    }

    // Summer patrols: noon and after school at every dangerous water not backfilled;
    // a handful of (water, day) pairs get only one.
    let dangerous: Vec<usize> = out
        .waters
        .iter()
        .enumerate()
        .filter(|(_, w)| drowning::is_dangerous(w.risk) && !w.measures.backfilled)
        .map(|(i, _)| i)
        .collect();
    let days = drowning::summer_days(year);
    let mut missing = std::collections::BTreeSet::new();
    while missing.len() < 7 && !dangerous.is_empty() {
        missing.insert((
            *pick(&mut rng, &dangerous),
            days[index(&mut rng, days.len())],
        ));
    }
    for &w in &dangerous {
        let patrollers = [name(&mut rng), name(&mut rng)];
        for d in &days {
            out.patrols.push(Patrol {
                water: w,
                day: *d,
                slot: "中午",
                patroller: patrollers[(d.day() % 2) as usize].clone(),
            });
            if !missing.contains(&(w, *d)) {
                out.patrols.push(Patrol {
                    water: w,
                    day: *d,
                    slot: "放学后",
                    patroller: patrollers[((d.day() + 1) % 2) as usize].clone(),
                });
            }
        }
    }
    out.missing_patrols = missing.into_iter().collect();

    // 十有 per township and school.
    let orgs = XUPU
        .townships
        .iter()
        .map(|t| t.code.to_string())
        .chain(schools.iter().map(|s| s.code.clone()));
    for org in orgs {
        for item in drowning::TEN_HAVES {
            out.ten_haves.push(TenHave {
                org_code: org.clone(),
                item,
                done: true,
                evidence: format!("{item}相关文件已存档（{year}年）"),
            });
        }
    }
    out.checks = checks(seed, &out.inspections, schools, &autumn_only);
    out
}

/// The checklist ticks of the year. A monthly inspection is ticked by its school on the day it
/// was done; a campaign by every school on a day of its fortnight (a school that opened in
/// autumn catches up on 1 September). Its own random stream keeps the other figures as they were.
fn checks(
    seed: u64,
    inspections: &[Inspection],
    schools: &[School],
    autumn_only: &std::collections::HashSet<&str>,
) -> Vec<Checks> {
    let mut rng = Rng::seed_from_u64(seed ^ 0xC4EC_2021);
    let mut out = Vec::new();
    for (index, i) in inspections.iter().enumerate() {
        if let Some(school) = &i.school_code {
            out.push(Checks {
                inspection: index,
                school_code: school.clone(),
                checked_on: i.done_on,
            });
            continue;
        }
        let span = (i.done_on - i.planned_on).num_days().max(0) as u32;
        let opened = day(i.planned_on.year(), 9, 1);
        for school in schools {
            let mut checked_on =
                i.planned_on + Duration::days(i64::from(between(&mut rng, 0, span)));
            if autumn_only.contains(school.code.as_str()) && checked_on < opened {
                checked_on = opened;
            }
            out.push(Checks {
                inspection: index,
                school_code: school.code.clone(),
                checked_on,
            });
        }
    }
    out
}

fn drowning_offset(rng: &mut Rng) -> f64 {
    (crate::rng::unit(rng) - 0.5) * 0.08
}

#[cfg(test)]
mod tests;
