//! 2021: the roll of school-age children, the cases it turns up and the 送教上门 plans.

use super::*;

/// Generates the demo's dropout-control records from the generated roll.
pub fn generate(
    rng: &mut Rng,
    schools: &[School],
    students: &[StudentRecord],
    staff: &[StaffRecord],
    ids: &mut crate::ids::IdBook,
) -> DemoDropout {
    let as_of = as_of();
    let settings = MatchSettings::default();
    let autumn = Term::autumn(2021);
    let county = &emis_domain::divisions::XUPU;
    let school_by_code: HashMap<&str, &School> =
        schools.iter().map(|s| (s.code.as_str(), s)).collect();
    let teachers_by_school = teachers_by_school(staff);
    // Compulsory schools by township, for the 包保 school of a case.
    let mut compulsory_by_township: HashMap<&str, Vec<&School>> = HashMap::new();
    for s in schools {
        if s.school_type.grades().iter().any(|g| g.is_compulsory()) {
            compulsory_by_township
                .entry(s.township_code.as_str())
                .or_default()
                .push(s);
        }
    }

    let mut population = Vec::new();
    let mut on_roll: Vec<usize> = Vec::new();
    for (i, s) in students.iter().enumerate() {
        if !listed_on_roll(s, autumn, as_of, &settings) {
            continue;
        }
        on_roll.push(i);
    }
    // The mistyped ones: chosen among the roll, their population row carries the right
    // number and the roll the swapped one; here the roll is kept and the population row
    // gets the swapped number instead, which the comparison sees the same way.
    let mut mistyped: HashSet<usize> = HashSet::new();
    let roll_ids: HashSet<&str> = students.iter().map(|s| s.id_number.as_str()).collect();
    while mistyped.len() < MISTYPED && !on_roll.is_empty() {
        let i = on_roll[index(rng, on_roll.len())];
        if mistype(&students[i].id_number).is_some_and(|m| !roll_ids.contains(m.as_str())) {
            mistyped.insert(i);
        }
    }
    let mut cases = Vec::new();
    for &i in &on_roll {
        let s = &students[i];
        let id_number = if mistyped.contains(&i) {
            mistype(&s.id_number).unwrap_or_else(|| s.id_number.clone())
        } else {
            s.id_number.clone()
        };
        population.push(roll_child(rng, s, &school_by_code, id_number.clone()));
        if mistyped.contains(&i) {
            let teacher = teachers_by_school
                .get(s.school_code.as_str())
                .and_then(|t| t.first().map(|n| n.to_string()))
                .unwrap_or_else(|| adult(rng));
            let visit_on = day(as_of, between(rng, 3, 10));
            cases.push(DemoCase {
                person_id: id_number,
                township_cadre: adult(rng),
                village_cadre: adult(rng),
                school_code: s.school_code.clone(),
                school_contact: adult(rng),
                teacher,
                deadline: day(as_of, 30),
                visits: vec![DemoVisit {
                    date: visit_on,
                    kind: VisitKind::Phone,
                    note: MISTYPED_NOTE.into(),
                }],
                close: Some(corrected_id(
                    rng,
                    visit_on,
                    school_by_code
                        .get(s.school_code.as_str())
                        .map(|sc| sc.name.as_str())
                        .unwrap_or("本县学校"),
                )),
            });
        }
    }

    // Children with no roll entry.
    let (earliest, latest) = settings.birth_range(as_of).unwrap_or((as_of, as_of));
    let span = (latest - earliest).num_days().max(1) as u32;
    for k in 0..NOT_ON_ROLL {
        let birth = day(earliest, between(rng, 0, span));
        let sex = if chance(rng, 0.5) {
            Sex::Male
        } else {
            Sex::Female
        };
        let township = &county.townships[index(rng, county.townships.len())];
        let id_number = ids.issue(rng, county.code, birth, sex);
        population.push(unlisted_child(
            rng,
            id_number.clone(),
            sex,
            birth,
            township.name,
        ));
        let (outcome, notes, evidence) = outcome_plan(k);
        let school = compulsory_by_township
            .get(township.code)
            .and_then(|list| list.get(index(rng, list.len().max(1))))
            .copied();
        let school_code = school.map(|s| s.code.clone()).unwrap_or_default();
        let teacher = teachers_by_school
            .get(school_code.as_str())
            .and_then(|t| t.get(index(rng, t.len().max(1))).map(|n| n.to_string()))
            .unwrap_or_else(|| adult(rng));
        let mut date = day(as_of, between(rng, 2, 12));
        let mut visits = Vec::new();
        for (n, note) in notes.iter().enumerate() {
            visits.push(DemoVisit {
                date,
                kind: if n == 0 || chance(rng, 0.6) {
                    VisitKind::Visit
                } else {
                    VisitKind::Phone
                },
                note: (*note).to_string(),
            });
            date = day(date, between(rng, 7, 25));
        }
        let last = visits.last().map(|v| v.date).unwrap_or(as_of);
        let closed_on = day(last, between(rng, 1, 10))
            .min(NaiveDate::from_ymd_opt(2021, 12, 20).unwrap_or(last));
        cases.push(DemoCase {
            person_id: id_number,
            township_cadre: adult(rng),
            village_cadre: adult(rng),
            school_code,
            school_contact: adult(rng),
            teacher,
            deadline: day(as_of, if k % 7 == 0 { 60 } else { 45 }),
            visits,
            close: Some(DemoClose {
                outcome,
                on: closed_on.max(last),
                evidence: evidence.to_string(),
            }),
        });
    }

    // 送教上门: a plan per 送教上门 student per term, two teachers, a visit every other week.
    let mut plans = Vec::new();
    for s in students {
        if s.status != StudentStatus::HomeTaught {
            continue;
        }
        let pool = teachers_by_school
            .get(s.school_code.as_str())
            .cloned()
            .unwrap_or_default();
        let mut teachers: Vec<String> = Vec::new();
        while teachers.len() < 2 {
            let name = if pool.is_empty() {
                adult(rng)
            } else {
                pick(rng, &pool).to_string()
            };
            if !teachers.contains(&name) || pool.len() < 2 {
                teachers.push(name);
            }
        }
        let (first, last) = match s.term.season {
            emis_domain::term::Season::Spring => ((2021, 3, 5), (2021, 6, 30)),
            emis_domain::term::Season::Autumn => ((2021, 9, 6), (2021, 12, 31)),
        };
        let first = NaiveDate::from_ymd_opt(first.0, first.1, first.2).unwrap_or(as_of);
        let last = NaiveDate::from_ymd_opt(last.0, last.1, last.2).unwrap_or(as_of);
        let mut date = day(first, between(rng, 0, 6));
        let mut visits = Vec::new();
        while date <= last {
            visits.push(DemoHomeVisit {
                date,
                minutes: if chance(rng, 0.8) { 120 } else { 90 },
                teacher: pick(rng, &teachers).clone(),
                content: pick(rng, HOME_CONTENT).to_string(),
            });
            date = day(date, 14);
            if date.weekday() == chrono::Weekday::Sun {
                date = day(date, 1);
            }
        }
        plans.push(DemoPlan {
            student_id: s.id_number.clone(),
            name: s.name.clone(),
            school_code: s.school_code.clone(),
            term: s.term,
            teachers,
            plan: format!(
                "{}：每两周送教一次，每次2课时；生活适应、康复训练与文化课相结合",
                s.disability.as_deref().unwrap_or("残疾")
            ),
            visits,
        });
    }

    DemoDropout {
        as_of,
        population,
        cases,
        plans,
    }
}
