//! 五项管理 self-checks of the demo county, 2021: every primary, junior and senior school
//! reports each term the figures its stages call for. In spring, before 双减, about a
//! quarter of the schools fall short somewhere (written homework in grades 1–2, too much
//! homework, short sleep, phones in class, too few PE lessons); in autumn every school
//! complies.

use crate::rng::{between, chance, Rng};
use emis_domain::double_reduction::five::{stages, SelfCheck};
use emis_domain::registry::{School, SchoolType, Stage};
use emis_domain::term::Term;

/// One school's self-check of one term.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoFiveCheck {
    pub school_code: String,
    pub term: Term,
    pub check: SelfCheck,
}

/// Share of the schools that fall short somewhere in spring 2021.
const SPRING_SHORTFALL: f64 = 0.25;

pub(super) fn five_checks(rng: &mut Rng, schools: &[School]) -> Vec<DemoFiveCheck> {
    let reporting: Vec<&School> = schools
        .iter()
        .filter(|s| s.school_type != SchoolType::Kindergarten)
        .collect();
    let mut out = Vec::with_capacity(2 * reporting.len());
    for term in [Term::spring(2021), Term::autumn(2021)] {
        let spring = term == Term::spring(2021);
        for s in &reporting {
            let short = spring && chance(rng, SPRING_SHORTFALL);
            out.push(DemoFiveCheck {
                school_code: s.code.clone(),
                term,
                check: self_check(rng, &stages(s.school_type), short),
            });
        }
    }
    out
}

/// A self-check of a school teaching `stages`; `short` breaks one item.
fn self_check(rng: &mut Rng, stages: &[Stage], short: bool) -> SelfCheck {
    let has = |s: Stage| stages.contains(&s);
    let when = |s: Stage, v: u32| has(s).then_some(v);
    let mut c = SelfCheck {
        homework_g12: when(Stage::Primary, 0),
        homework_g36: when(Stage::Primary, between(rng, 40, 60)),
        homework_junior: when(Stage::Junior, between(rng, 60, 90)),
        sleep_primary: when(Stage::Primary, between(rng, 100, 105)),
        sleep_junior: when(Stage::Junior, between(rng, 90, 95)),
        sleep_senior: when(Stage::Senior, between(rng, 80, 85)),
        phones_out_of_class: true,
        reading_reviewed: true,
        pe_primary: when(Stage::Primary, between(rng, 4, 5)),
        pe_junior: when(Stage::Junior, 3),
        pe_senior: when(Stage::Senior, 2),
        no_written_exams_g12: true,
    };
    if short {
        let primary = has(Stage::Primary);
        let junior = has(Stage::Junior);
        match between(rng, 0, 4) {
            0 if primary => c.homework_g12 = Some(between(rng, 10, 20)),
            1 if primary => c.homework_g36 = Some(between(rng, 70, 90)),
            1 if junior => c.homework_junior = Some(between(rng, 100, 120)),
            2 if junior => c.sleep_junior = Some(between(rng, 80, 85)),
            3 if primary => c.pe_primary = Some(3),
            _ => c.phones_out_of_class = false,
        }
    }
    c
}
