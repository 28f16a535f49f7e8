//! 2020, derived from 2021 (see [`previous_year`]).

use super::*;

/// Spring-2021 pupils missing from the autumn-2020 roll (they came over the winter) whom
/// 2020's comparison turns up: each was at school in another province (a case each).
pub const PREVIOUS_ARRIVED: usize = 20;
/// 2020's children on the roll under a mistyped ID number (probable matches, a case each).
pub const PREVIOUS_MISTYPED: usize = 8;
/// Of those, the ones the school had not yet confirmed: their cases are still open.
pub const PREVIOUS_MISTYPED_OPEN: usize = 2;
/// 2020's children of 15 who had left school to work and are not yet back: their cases are
/// still being worked (劝返中). They were 16 by the 2021 roll, so it does not list them.
pub const PREVIOUS_OPEN: usize = 3;

/// The notes of an [`PREVIOUS_ARRIVED`] pupil's case.
const AWAY_NOTES: [&str; 2] = [
    "电话联系家长，孩子随父母在外省务工地就读",
    "取得就读学校出具的在读证明；家长称寒假后回本县就读",
];
/// The notes of a [`PREVIOUS_OPEN`] child's case.
const WORKING_NOTES: [&str; 2] = [
    "入户走访，孩子已外出务工，家长表示将劝其返校",
    "包保教师电话联系孩子本人，宣讲义务教育法，劝返未果",
];

/// The date of the 2020 roll.
pub fn previous_as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 9, 10).unwrap_or_default()
}

/// The same day a year earlier (29 February to the 28th).
fn year_back(d: NaiveDate) -> NaiveDate {
    d.with_year(d.year() - 1)
        .or_else(|| (d - Days::new(1)).with_year(d.year() - 1))
        .unwrap_or(d)
}

/// 2020's 控辍保学 and 送教上门, for the year-over-year figures, derived from 2021's: the
/// household-registration roll of 2020-09-10 holds every compulsory-age child of the 2020
/// autumn roll (`autumn_roll`: the ID numbers on it, which is the spring 2021 roll
/// thinned), the 2021 children not on the roll who were of age and already away a year
/// earlier (their cases a year back, with the same outcome), [`PREVIOUS_ARRIVED`] pupils
/// who were studying in another province that autumn, [`PREVIOUS_MISTYPED`] mistyped ID
/// numbers and [`PREVIOUS_OPEN`] children of 15 who had gone to work. Every case but
/// [`PREVIOUS_MISTYPED_OPEN`] + [`PREVIOUS_OPEN`] is closed. Each spring 2021 送教上门 plan
/// is carried back to the 2020 terms in which its student is 送教上门 on the roll
/// (`home_taught`: spring, autumn), with its visits moved back as well.
#[allow(clippy::too_many_arguments)]
pub fn previous_year(
    seed: u64,
    current: &DemoDropout,
    schools: &[School],
    students: &[StudentRecord],
    staff: &[StaffRecord],
    autumn_roll: &HashSet<String>,
    home_taught: [&HashSet<String>; 2],
) -> DemoDropout {
    let mut rng = Rng::seed_from_u64(seed ^ 0x00d0_0b0c_2020);
    let rng = &mut rng;
    let as_of = previous_as_of();
    let settings = MatchSettings::default();
    let county = &emis_domain::divisions::XUPU;
    let spring = Term::spring(2021);
    let school_by_code: HashMap<&str, &School> =
        schools.iter().map(|s| (s.code.as_str(), s)).collect();
    let teachers_by_school = teachers_by_school(staff);
    let teacher_of = |rng: &mut Rng, school: &str| -> String {
        teachers_by_school
            .get(school)
            .map(|t| t[index(rng, t.len())].to_string())
            .unwrap_or_else(|| adult(rng))
    };
    let school_name = |code: &str| -> String {
        school_by_code
            .get(code)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| "本县学校".into())
    };
    let known: HashMap<&str, &PopulationPerson> = current
        .population
        .iter()
        .map(|p| (p.id_number.as_str(), p))
        .collect();
    // ID numbers given already: the roll's and 2021's population roll's.
    let used: HashSet<&str> = students
        .iter()
        .map(|s| s.id_number.as_str())
        .chain(current.population.iter().map(|p| p.id_number.as_str()))
        .collect();
    let case_for = |rng: &mut Rng,
                    person_id: String,
                    school: &str,
                    visits: Vec<DemoVisit>,
                    close: Option<DemoClose>| DemoCase {
        person_id,
        township_cadre: adult(rng),
        village_cadre: adult(rng),
        school_code: school.to_string(),
        school_contact: adult(rng),
        teacher: teacher_of(rng, school),
        deadline: day(as_of, 45),
        visits,
        close,
    };

    // The children of the autumn 2020 roll, as the 2021 roll lists those of autumn 2021;
    // a few under a mistyped number. The others of the spring 2021 roll came over the winter.
    let mut population = Vec::new();
    let mut cases = Vec::new();
    let mut arrived: Vec<&StudentRecord> = Vec::new();
    let mut mistyped = 0;
    for s in students {
        if !listed_on_roll(s, spring, as_of, &settings) {
            continue;
        }
        if !autumn_roll.contains(&s.id_number) {
            arrived.push(s);
            continue;
        }
        // The household's details as the 2021 roll has them, where it lists the child.
        let mut person = match known.get(s.id_number.as_str()) {
            Some(listed) => (*listed).clone(),
            None => roll_child(rng, s, &school_by_code, s.id_number.clone()),
        };
        let typo = (mistyped < PREVIOUS_MISTYPED && chance(rng, 0.000_2))
            .then(|| mistype(&s.id_number))
            .flatten()
            .filter(|m| !used.contains(m.as_str()));
        if let Some(typo) = typo {
            mistyped += 1;
            person.id_number = typo.clone();
            let visit_on = day(as_of, between(rng, 3, 10));
            let (note, close) = if mistyped > PREVIOUS_MISTYPED - PREVIOUS_MISTYPED_OPEN {
                ("电话联系学校核对学籍，学校尚未回复核对结果", None)
            } else {
                (
                    MISTYPED_NOTE,
                    Some(corrected_id(rng, visit_on, &school_name(&s.school_code))),
                )
            };
            let visits = vec![DemoVisit {
                date: visit_on,
                kind: VisitKind::Phone,
                note: note.into(),
            }];
            cases.push(case_for(rng, typo, &s.school_code, visits, close));
        }
        population.push(person);
    }

    // The 2021 children not on the roll who were away already, a year earlier.
    for case in &current.cases {
        let Some(close) = &case.close else { continue };
        let lasting = matches!(
            close.outcome,
            Outcome::StudyingElsewhere(_)
                | Outcome::Abroad
                | Outcome::ApprovedDeferral
                | Outcome::RegistrationError(
                    RegistrationFault::NominalHousehold
                        | RegistrationFault::DualRegistration
                        | RegistrationFault::NoSuchPerson
                )
        );
        let Some(person) = known.get(case.person_id.as_str()) else {
            continue;
        };
        if !lasting || !settings.is_compulsory_age(person.birth_date, as_of) {
            continue;
        }
        population.push((*person).clone());
        cases.push(DemoCase {
            deadline: year_back(case.deadline),
            visits: case
                .visits
                .iter()
                .map(|v| DemoVisit {
                    date: year_back(v.date),
                    ..v.clone()
                })
                .collect(),
            close: Some(DemoClose {
                on: year_back(close.on),
                ..close.clone()
            }),
            ..case.clone()
        });
    }

    // Pupils at school in another province that autumn, back for the spring term.
    let step = (arrived.len() / PREVIOUS_ARRIVED.max(1)).max(1);
    for s in arrived.iter().step_by(step).take(PREVIOUS_ARRIVED) {
        population.push(roll_child(rng, s, &school_by_code, s.id_number.clone()));
        let called = day(as_of, between(rng, 2, 12));
        let verified = day(called, between(rng, 7, 20));
        let [first, then] = AWAY_NOTES;
        let visits = vec![
            visit(called, VisitKind::Phone, first),
            visit(verified, VisitKind::Phone, then),
        ];
        let close = Some(DemoClose {
            outcome: Outcome::StudyingElsewhere(Region::OutOfProvince),
            on: day(verified, between(rng, 1, 10)),
            evidence: "外省就读学校在读证明及学籍信息截图".into(),
        });
        cases.push(case_for(
            rng,
            s.id_number.clone(),
            &s.school_code,
            visits,
            close,
        ));
    }

    // Children of 15 gone to work, still being urged back.
    let (oldest, _) = settings.birth_range(as_of).unwrap_or((as_of, as_of));
    let mut open = 0;
    while open < PREVIOUS_OPEN {
        let birth = day(oldest, between(rng, 0, 200));
        let sex = if chance(rng, 0.6) {
            Sex::Male
        } else {
            Sex::Female
        };
        let parity = u16::from(sex == Sex::Male);
        let sequence = index(rng, 500) as u16 * 2 + parity;
        let id_number = emis_domain::identity::IdNumber::compose(county.code, birth, sequence)
            .as_str()
            .to_string();
        if used.contains(id_number.as_str()) || population.iter().any(|p| p.id_number == id_number)
        {
            continue;
        }
        open += 1;
        let township = &county.townships[index(rng, county.townships.len())];
        let child = unlisted_child(rng, id_number.clone(), sex, birth, township.name);
        population.push(child);
        let school = school_by_code
            .values()
            .filter(|s| s.township_code == township.code)
            .map(|s| s.code.as_str())
            .min()
            .unwrap_or_default();
        let visited = day(as_of, between(rng, 3, 10));
        let [first, then] = WORKING_NOTES;
        let called = day(visited, between(rng, 20, 40));
        let visits = vec![
            visit(visited, VisitKind::Visit, first),
            visit(called, VisitKind::Phone, then),
        ];
        cases.push(case_for(rng, id_number, school, visits, None));
    }

    // 送教上门: the spring 2021 plans, a year and half a year back.
    let plans = current
        .plans
        .iter()
        .filter(|p| p.term == spring)
        .flat_map(|p| {
            [(Term::spring(2020), 12), (Term::autumn(2020), 6)]
                .into_iter()
                .zip(home_taught)
                .filter(|(_, home)| home.contains(&p.student_id))
                .map(|((term, months), _)| DemoPlan {
                    term,
                    visits: p
                        .visits
                        .iter()
                        .map(|v| DemoHomeVisit {
                            date: v
                                .date
                                .checked_sub_months(chrono::Months::new(months))
                                .unwrap_or(v.date),
                            ..v.clone()
                        })
                        .collect(),
                    ..p.clone()
                })
        })
        .collect();

    DemoDropout {
        as_of,
        population,
        cases,
        plans,
    }
}
