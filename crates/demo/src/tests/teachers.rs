//! 教师队伍: trainings, 公费定向师范生, studios, awards, the plan and 师德师风 cases, each
//! figure recomputed from the records (for the demo seed and another one).

use super::*;
use emis_domain::teachers::conduct::{flags_award, ConductStatus, Sanction};
use emis_domain::teachers::funded::{standing, Placement, TraineeFacts, TraineeStanding};
use emis_domain::teachers::hours::HoursRequirement;
use emis_domain::teachers::{StudioKind, TraineeSource, TrainingLevel, AWARD_TITLES};
use std::collections::BTreeMap;

fn dec31() -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 12, 31).expect("date")
}

fn staff_by_id(d: &DemoCounty) -> HashMap<&str, &StaffRecord> {
    d.staff.iter().map(|s| (s.id_number.as_str(), s)).collect()
}

fn both() -> [&'static DemoCounty; 2] {
    [demo(), other()]
}

#[test]
fn trainings_give_36122_person_times() {
    for d in both() {
        let t = &d.teachers;
        let staff = staff_by_id(d);
        let counted: usize = t
            .trainings
            .iter()
            .filter(|tr| tr.start.year() == 2021)
            .map(|tr| tr.participants.iter().filter(|p| p.completed).count())
            .sum();
        assert_eq!(counted, 36_122);
        assert_eq!(counted, crate::teachers::PERSON_TIMES);

        let not_completed = t
            .trainings
            .iter()
            .filter(|tr| tr.start.year() == 2021)
            .flat_map(|tr| &tr.participants)
            .filter(|p| !p.completed)
            .count();
        assert!((100..=600).contains(&not_completed), "{not_completed}");
        let of_2020: Vec<_> = t
            .trainings
            .iter()
            .filter(|tr| tr.start.year() == 2020)
            .collect();
        assert!(!of_2020.is_empty());
        assert!(of_2020.iter().all(|tr| !tr.participants.is_empty()));
        assert!(t.trainings.iter().all(|tr| tr.start.year() >= 2020));

        let mut levels: HashMap<TrainingLevel, usize> = HashMap::new();
        let mut names: HashSet<(&str, NaiveDate)> = HashSet::new();
        for tr in &t.trainings {
            *levels.entry(tr.level).or_default() += 1;
            assert!(names.insert((tr.name.as_str(), tr.start)), "{}", tr.name);
            assert!(tr.start <= tr.end, "{}", tr.name);
            let mut seen = HashSet::new();
            let mut schools_of = HashSet::new();
            for p in &tr.participants {
                assert!(seen.insert(p.id_number.as_str()), "twice in {}", tr.name);
                let s = staff
                    .get(p.id_number.as_str())
                    .unwrap_or_else(|| panic!("{} not on the roll", p.id_number));
                assert_eq!(s.post_type, PostType::Teacher);
                assert!((60..=1200).contains(&p.hours_tenths), "{}", p.hours_tenths);
                schools_of.insert(s.school_code.as_str());
            }
            if tr.level == TrainingLevel::School {
                assert_eq!(schools_of.len(), 1, "{}", tr.name);
            }
        }
        for (level, lo, hi) in [
            (TrainingLevel::National, 12, 20),
            (TrainingLevel::Provincial, 35, 45),
            (TrainingLevel::City, 55, 65),
            (TrainingLevel::County, 140, 160),
            (TrainingLevel::School, 300, 900),
        ] {
            let n = levels.get(&level).copied().unwrap_or(0);
            assert!((lo..=hi).contains(&n), "{level}: {n}");
        }
        // 岗前培训 takes every 2021 recruit but the 调入 teachers.
        let induction: HashSet<&str> = t
            .trainings
            .iter()
            .find(|tr| tr.name == "溆浦县2021年新教师岗前培训")
            .expect("岗前培训")
            .participants
            .iter()
            .map(|p| p.id_number.as_str())
            .collect();
        let recruits: HashSet<&str> = d
            .staff
            .iter()
            .filter(|s| s.start_date.is_some_and(|d| d.year() == 2021))
            .filter(|s| s.channel != Some(RecruitChannel::Transfer))
            .map(|s| s.id_number.as_str())
            .collect();
        assert_eq!(induction, recruits);
        let whole = t
            .trainings
            .iter()
            .flat_map(|tr| &tr.participants)
            .filter(|p| p.hours_tenths % 10 == 0)
            .count();
        let all = t
            .trainings
            .iter()
            .map(|tr| tr.participants.len())
            .sum::<usize>();
        assert!(whole * 10 > all * 8, "mostly whole hours");

        // Continuing-education hours: most teachers are on track, some hundreds behind.
        let mut hours: HashMap<&str, i64> = HashMap::new();
        for tr in t.trainings.iter().filter(|tr| tr.start.year() == 2021) {
            for p in tr.participants.iter().filter(|p| p.completed) {
                *hours.entry(p.id_number.as_str()).or_default() += i64::from(p.hours_tenths);
            }
        }
        let rule = HoursRequirement::default();
        let teachers: Vec<&StaffRecord> = d
            .staff
            .iter()
            .filter(|s| s.post_type == PostType::Teacher)
            .collect();
        let done = |s: &StaffRecord| hours.get(s.id_number.as_str()).copied().unwrap_or(0);
        let behind = teachers
            .iter()
            .filter(|s| rule.is_behind(done(s), 2021))
            .count();
        assert!((200..=1_000).contains(&behind), "{behind} behind");
        let trained = teachers
            .iter()
            .filter(|s| hours.contains_key(s.id_number.as_str()))
            .count();
        assert!(trained * 100 > teachers.len() * 95, "{trained}");
    }
}

#[test]
fn funded_trainees_are_placed_selected_and_overdue() {
    for d in both() {
        let t = &d.teachers;
        let staff = staff_by_id(d);
        let township: HashMap<&str, &str> = d
            .schools
            .iter()
            .map(|s| (s.code.as_str(), s.township_code.as_str()))
            .collect();
        let students: HashSet<&str> = d.students.iter().map(|s| s.id_number.as_str()).collect();
        let mut ids = HashSet::new();
        let mut standings: BTreeMap<TraineeStanding, usize> = BTreeMap::new();
        let mut by_selection: BTreeMap<i32, usize> = BTreeMap::new();
        for tr in &t.trainees {
            assert!(ids.insert(tr.id_number.as_str()), "trainee twice");
            assert!(IdNumber::parse(&tr.id_number).is_ok());
            assert!(!tr.institution.is_empty());
            let placement = staff.get(tr.id_number.as_str()).map(|s| {
                assert_eq!(s.channel, Some(RecruitChannel::FundedNormal));
                assert_eq!(s.name, tr.name);
                let start = s.start_date.expect("start").year();
                let years = match tr.source {
                    TraineeSource::SeniorGraduate => 4,
                    TraineeSource::JuniorGraduate => 6,
                };
                assert_eq!(tr.selection_year, start - years);
                assert_eq!(tr.expected_graduation, start);
                Placement {
                    start_date: s.start_date,
                    township_code: township[s.school_code.as_str()].to_string(),
                }
            });
            if placement.is_none() {
                *by_selection.entry(tr.selection_year).or_default() += 1;
                assert!(!students.contains(tr.id_number.as_str()));
            }
            let facts = TraineeFacts {
                expected_graduation: tr.expected_graduation,
                directed_township: tr.township_code.clone(),
                service_years: emis_domain::teachers::funded::DEFAULT_SERVICE_YEARS,
                placement,
            };
            let s = standing(&facts, dec31());
            if s == TraineeStanding::OutsideDirectedTownship {
                let placed = staff[tr.id_number.as_str()];
                assert_eq!(placed.start_date.map(|d| d.year()), Some(2021));
            }
            *standings.entry(s).or_default() += 1;
        }
        // Every 公费师范生 on the staff roll is a trainee.
        let placed = d
            .staff
            .iter()
            .filter(|s| s.channel == Some(RecruitChannel::FundedNormal))
            .count();
        assert!(d
            .staff
            .iter()
            .filter(|s| s.channel == Some(RecruitChannel::FundedNormal))
            .all(|s| ids.contains(s.id_number.as_str())));
        assert_eq!(
            t.trainees.len() - placed,
            by_selection.values().sum::<usize>()
        );

        assert_eq!(by_selection.get(&2021), Some(&258));
        assert_eq!(by_selection.get(&2015), Some(&4));
        for year in 2018..=2020 {
            let n = by_selection.get(&year).copied().unwrap_or(0);
            assert!((200..=260).contains(&n), "{year}: {n}");
        }
        assert_eq!(by_selection.len(), 5, "{by_selection:?}");
        assert_eq!(
            standings.get(&TraineeStanding::OutsideDirectedTownship),
            Some(&3)
        );
        assert_eq!(standings.get(&TraineeStanding::PlacementOverdue), Some(&4));
        assert_eq!(standings.get(&TraineeStanding::AwaitingPlacement), None);
        let in_training = standings
            .get(&TraineeStanding::InTraining)
            .copied()
            .unwrap_or(0);
        assert_eq!(in_training, by_selection.values().sum::<usize>() - 4);

        let new: Vec<_> = t
            .trainees
            .iter()
            .filter(|tr| tr.selection_year == 2021)
            .collect();
        for tr in &new {
            let id = IdNumber::parse(&tr.id_number).expect("valid");
            assert_eq!(id.area_code(), XUPU.code);
            assert!(!staff.contains_key(tr.id_number.as_str()));
            assert_eq!(
                tr.expected_graduation,
                2021 + if tr.source == TraineeSource::SeniorGraduate {
                    4
                } else {
                    6
                }
            );
            assert!((2002..=2006).contains(&id.birth_date().year()));
            assert_eq!(
                tr.subject.is_some(),
                tr.stage == emis_domain::teachers::DirectedStage::Junior
            );
        }
        let senior = new
            .iter()
            .filter(|tr| tr.source == TraineeSource::SeniorGraduate)
            .count();
        assert!(senior * 10 > new.len() * 7);
    }
}

#[test]
fn studios_5_master_and_24_subject_active_at_year_end() {
    for d in both() {
        let staff = staff_by_id(d);
        let mut active: HashMap<StudioKind, usize> = HashMap::new();
        let mut closed_in_2021 = 0;
        for s in &d.teachers.studios {
            let host = staff
                .get(s.host_id_number.as_str())
                .expect("host on the roll");
            assert_eq!(host.post_type, PostType::Teacher);
            assert!((5..=12).contains(&s.members.len()), "{}", s.name);
            let members: HashSet<&str> = s.members.iter().map(String::as_str).collect();
            assert_eq!(members.len(), s.members.len());
            assert!(!members.contains(s.host_id_number.as_str()));
            assert!(members.iter().all(|m| staff.contains_key(m)));
            assert!((3..=10).contains(&s.activities.len()), "{}", s.name);
            let titles: HashSet<&str> = s.activities.iter().map(|a| a.title.as_str()).collect();
            assert_eq!(titles.len(), s.activities.len(), "{}", s.name);
            for a in &s.activities {
                assert_eq!(a.held_on.year(), 2021);
                assert!(a.held_on > s.founded);
                assert!(s.closed.is_none_or(|c| a.held_on <= c));
                assert!(a.participants > 0);
            }
            let is_active = s.founded <= dec31() && s.closed.is_none_or(|c| c > dec31());
            if is_active {
                *active.entry(s.kind).or_default() += 1;
            } else if s.closed.is_some_and(|c| c.year() == 2021) {
                closed_in_2021 += 1;
            }
        }
        assert_eq!(active.get(&StudioKind::Master), Some(&5));
        assert_eq!(active.get(&StudioKind::Subject), Some(&24));
        assert_eq!(closed_in_2021, 1);
        let names: HashSet<&str> = d.teachers.studios.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names.len(), d.teachers.studios.len());
    }
}

#[test]
fn awards_229_granted_for_2000000_yuan() {
    for d in both() {
        let t = &d.teachers;
        let staff = staff_by_id(d);
        assert_eq!(t.award_fund_fen, 200_000_000);
        let granted: Vec<_> = t
            .awards
            .iter()
            .filter(|a| a.granted && a.granted_on.year() == 2021)
            .collect();
        assert_eq!(granted.len(), 229);
        assert_eq!(granted.iter().map(|a| a.fen).sum::<i64>(), t.award_fund_fen);
        let pairs: HashSet<(&str, &str)> = t
            .awards
            .iter()
            .map(|a| (a.id_number.as_str(), a.title.as_str()))
            .collect();
        assert_eq!(pairs.len(), t.awards.len());
        let refused = t.awards.iter().filter(|a| !a.granted).count();
        assert!((5..=15).contains(&refused), "{refused}");
        for a in &t.awards {
            assert!(staff.contains_key(a.id_number.as_str()));
            assert!(AWARD_TITLES.contains(&a.title.as_str()), "{}", a.title);
            assert!(["溆浦县人民政府", "溆浦县教育局"].contains(&a.granting_body.as_str()));
            assert_eq!(a.fen % 10_000, 0, "whole hundreds of yuan");
            assert!((300_000..=2_000_000).contains(&a.fen), "{}", a.fen);
        }
        for title in AWARD_TITLES {
            assert!(granted.iter().any(|a| a.title == *title), "{title}");
        }
        // No granted award goes to a teacher under a sanction; one proposal was refused for it.
        let barred = |a: &&crate::teachers::DemoAward| {
            t.conduct.iter().any(|c| {
                let on = c.decided_on.unwrap_or(a.granted_on);
                c.id_number == a.id_number
                    && c.sanction.is_some_and(|s| flags_award(s, on, a.granted_on))
            })
        };
        assert!(!granted.iter().any(barred));
        assert_eq!(
            t.awards
                .iter()
                .filter(|a| !a.granted)
                .filter(barred)
                .count(),
            1
        );
    }
}

#[test]
fn recruitment_plan_2021() {
    let plans: HashMap<RecruitChannel, u32> = demo().teachers.plans.iter().copied().collect();
    assert_eq!(plans.len(), 4);
    assert_eq!(plans[&RecruitChannel::Tegang], 150);
    assert_eq!(plans[&RecruitChannel::Open], 270);
    assert_eq!(plans[&RecruitChannel::FundedNormal], 267);
    assert_eq!(plans[&RecruitChannel::Transfer], 15);
    assert_eq!(plans.values().sum::<u32>(), 702);
}

#[test]
fn conduct_cases_follow_their_campaigns() {
    for d in both() {
        let t = &d.teachers;
        let staff = staff_by_id(d);
        let names: Vec<&str> = t.campaigns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["人情风、谢师宴专项整治", "以案促改警示教育"]);
        assert!(t.campaigns.iter().all(|c| c.started_on.year() == 2021));
        assert!((10..=15).contains(&t.conduct.len()));
        let mut statuses: HashMap<ConductStatus, usize> = HashMap::new();
        let mut teachers = HashSet::new();
        for c in &t.conduct {
            assert!(teachers.insert(c.id_number.as_str()));
            assert_eq!(
                staff.get(c.id_number.as_str()).map(|s| s.post_type),
                Some(PostType::Teacher)
            );
            assert!(c.campaign.is_none_or(|k| k < t.campaigns.len()));
            assert_eq!(c.reported_on.year(), 2021);
            *statuses.entry(c.status).or_default() += 1;
            let decided = c.status == ConductStatus::Decided;
            assert_eq!(c.findings.is_some(), decided);
            assert_eq!(c.sanction.is_some(), decided);
            assert_eq!(c.decided_on.is_some(), decided);
            if let Some(on) = c.decided_on {
                assert!(c.reported_on < on && on <= dec31());
            }
        }
        assert_eq!(statuses.len(), 3, "{statuses:?}");
        let sanctions: Vec<Sanction> = t.conduct.iter().filter_map(|c| c.sanction).collect();
        assert!(sanctions.iter().filter(|s| s.bars_awards()).count() >= 3);
        assert!(sanctions.contains(&Sanction::Unfounded));
        assert!(t.conduct.iter().any(|c| c.campaign == Some(0)));
    }
}

#[test]
fn teacher_records_are_deterministic() {
    let d = demo();
    let run = |seed: u64| {
        let mut rng = crate::rng::Rng::seed_from_u64(seed);
        let mut ids = crate::ids::IdBook::with_capacity(1_000);
        crate::teachers::generate(&mut rng, &d.schools, &d.staff, &mut ids)
    };
    assert!(
        run(11) == run(11),
        "the same seed must give the same records"
    );
    assert_ne!(demo().teachers.trainees, other().teachers.trainees);
}
