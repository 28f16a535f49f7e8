//! 公费定向师范生: the placed ones from the staff roll, the cohorts still at college and the
//! overdue graduates.

use super::*;

pub(super) const INSTITUTIONS: &[(&str, f64)] = &[
    ("湖南第一师范学院", 3.0),
    ("长沙师范学院", 3.0),
    ("怀化学院", 3.0),
    ("湖南科技学院", 1.5),
    ("衡阳师范学院", 1.5),
];
/// Colleges with the six-year programmes for 初中毕业 entrants.
pub(super) const SIX_YEAR_INSTITUTIONS: &[&str] = &["湖南第一师范学院", "长沙师范学院"];
pub(super) const DIRECTED_SUBJECTS: &[&str] = &[
    "语文",
    "数学",
    "英语",
    "物理",
    "化学",
    "生物",
    "道德与法治",
    "历史",
    "地理",
];

pub(super) fn institution(rng: &mut Rng, source: TraineeSource) -> String {
    match source {
        TraineeSource::JuniorGraduate => pick(rng, SIX_YEAR_INSTITUTIONS).to_string(),
        TraineeSource::SeniorGraduate => INSTITUTIONS
            [pick_weighted(rng, INSTITUTIONS.len(), |i| INSTITUTIONS[i].1)]
        .0
        .to_string(),
    }
}

pub(super) fn years_at_college(source: TraineeSource) -> i32 {
    match source {
        TraineeSource::SeniorGraduate => 4,
        TraineeSource::JuniorGraduate => 6,
    }
}

/// A township other than the county seat.
pub(super) fn rural_township(rng: &mut Rng, except: Option<&str>) -> String {
    let choices: Vec<&str> = XUPU
        .townships
        .iter()
        .filter(|t| !t.urban && Some(t.code) != except)
        .map(|t| t.code)
        .collect();
    pick(rng, &choices).to_string()
}

/// A new trainee selected in `year`, not yet placed.
pub(super) fn new_trainee(
    rng: &mut Rng,
    ids: &mut IdBook,
    year: i32,
    junior_share: f64,
) -> DemoTrainee {
    let source = if chance(rng, junior_share) {
        TraineeSource::JuniorGraduate
    } else {
        TraineeSource::SeniorGraduate
    };
    let age = match source {
        TraineeSource::SeniorGraduate => between(rng, 17, 19) as i32,
        TraineeSource::JuniorGraduate => between(rng, 15, 16) as i32,
    };
    let sex = if chance(rng, 0.7) {
        Sex::Female
    } else {
        Sex::Male
    };
    let birth = date(year - age, between(rng, 1, 12), between(rng, 1, 28));
    let stage = match (source, unit(rng)) {
        (TraineeSource::SeniorGraduate, r) if r < 0.15 => DirectedStage::Junior,
        (_, r) if r > 0.88 => DirectedStage::Preschool,
        _ => DirectedStage::Primary,
    };
    let subject =
        (stage == DirectedStage::Junior).then(|| pick(rng, DIRECTED_SUBJECTS).to_string());
    DemoTrainee {
        id_number: ids.issue(rng, XUPU.code, birth, sex),
        name: person_name(rng, sex),
        selection_year: year,
        source,
        institution: institution(rng, source),
        stage,
        subject,
        township_code: chance(rng, 0.92).then(|| rural_township(rng, None)),
        expected_graduation: year + years_at_college(source),
    }
}

pub(super) fn trainees(rng: &mut Rng, roll: &Roll, ids: &mut IdBook) -> Vec<DemoTrainee> {
    let band: HashMap<usize, Band> = roll.teachers.iter().map(|t| (t.staff, t.band)).collect();
    let placed: Vec<usize> = (0..roll.staff.len())
        .filter(|&i| roll.staff[i].channel == Some(RecruitChannel::FundedNormal))
        .collect();
    // Three of the 2021 placements serve outside the township they were directed to.
    let mut of_2021: Vec<usize> = placed
        .iter()
        .copied()
        .filter(|&i| roll.staff[i].start_date.is_some_and(|d| d.year() == 2021))
        .collect();
    shuffle(rng, &mut of_2021);
    let outside: HashSet<usize> = of_2021.into_iter().take(OUTSIDE_TOWNSHIP).collect();

    let mut out = Vec::new();
    for i in placed {
        let s = &roll.staff[i];
        let start = s.start_date.map_or(2021, |d| d.year());
        let birth_year =
            IdNumber::parse(&s.id_number).map_or(start - 22, |id| id.birth_date().year());
        let source = if start - birth_year <= 22 && chance(rng, 0.2) {
            TraineeSource::JuniorGraduate
        } else {
            TraineeSource::SeniorGraduate
        };
        let stage = match band.get(&i) {
            Some(Band::Preschool) => DirectedStage::Preschool,
            Some(Band::Junior | Band::Senior) => DirectedStage::Junior,
            _ => DirectedStage::Primary,
        };
        let own = roll.schools[roll.school_of[i]].township_code.as_str();
        let township = if outside.contains(&i) {
            rural_township(rng, Some(own))
        } else {
            own.to_string()
        };
        out.push(DemoTrainee {
            name: s.name.clone(),
            id_number: s.id_number.clone(),
            selection_year: start - years_at_college(source),
            source,
            institution: institution(rng, source),
            stage,
            subject: (stage == DirectedStage::Junior)
                .then(|| s.subject.clone())
                .flatten(),
            township_code: Some(township),
            expected_graduation: start,
        });
    }
    // Graduates of 2019 never placed.
    for _ in 0..OVERDUE_TRAINEES {
        out.push(new_trainee(rng, ids, 2015, 0.0));
    }
    // The cohorts still at college, then the 2021 selection.
    for year in 2018..=2020 {
        let n = between(rng, 200, 260);
        for _ in 0..n {
            out.push(new_trainee(rng, ids, year, 0.1));
        }
    }
    for _ in 0..NEW_TRAINEES {
        out.push(new_trainee(rng, ids, 2021, 0.15));
    }
    out
}
