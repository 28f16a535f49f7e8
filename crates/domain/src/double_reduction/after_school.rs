//! 课后服务 5+2: offered five days a week, at least two hours (120 minutes) a day; a term's
//! figures by school, and the county's 开展率, 时间达标率 and 参与率.

use serde::Serialize;

/// 每周天数 and 每天时长 of the 5+2 standard.
pub const DAYS_A_WEEK: u32 = 5;
pub const MINUTES_A_DAY: u32 = 120;

/// One school's service in one term.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Service {
    pub offered: bool,
    pub days_a_week: u32,
    pub minutes_a_day: u32,
    pub students: u32,
}

impl Service {
    /// Offered and meeting 5+2.
    pub fn meets_standard(&self) -> bool {
        self.offered && self.days_a_week >= DAYS_A_WEEK && self.minutes_a_day >= MINUTES_A_DAY
    }

    /// Why it misses the standard, for the list of schools that do.
    pub fn shortfall(&self) -> Option<String> {
        if !self.offered {
            return Some("未开展课后服务".into());
        }
        let mut gaps = Vec::new();
        if self.days_a_week < DAYS_A_WEEK {
            gaps.push(format!("每周{}天（应≥{DAYS_A_WEEK}天）", self.days_a_week));
        }
        if self.minutes_a_day < MINUTES_A_DAY {
            gaps.push(format!(
                "每天{}分钟（应≥{MINUTES_A_DAY}分钟）",
                self.minutes_a_day
            ));
        }
        (!gaps.is_empty()).then(|| gaps.join("，"))
    }
}

/// The rates of a set of compulsory-stage schools (a township, the county).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Rates {
    /// Compulsory-stage schools in the set.
    pub schools: u32,
    /// Of them, those with a record of the term.
    pub reported: u32,
    pub offering: u32,
    pub meeting: u32,
    pub students_on_roll: u32,
    pub participating: u32,
}

impl Rates {
    pub fn add(&mut self, service: Option<&Service>, students_on_roll: u32) {
        self.schools += 1;
        self.students_on_roll += students_on_roll;
        if let Some(s) = service {
            self.reported += 1;
            if s.offered {
                self.offering += 1;
                self.participating += s.students;
            }
            if s.meets_standard() {
                self.meeting += 1;
            }
        }
    }

    fn share(part: u32, whole: u32) -> f64 {
        if whole == 0 {
            f64::NAN
        } else {
            f64::from(part) / f64::from(whole)
        }
    }

    /// 开展率: schools offering / compulsory-stage schools.
    pub fn coverage(&self) -> f64 {
        Rates::share(self.offering, self.schools)
    }

    /// 时间达标率: of those offering, the share meeting 5+2.
    pub fn time_compliance(&self) -> f64 {
        Rates::share(self.meeting, self.offering)
    }

    /// 参与率: students taking part / compulsory-stage students on the roll.
    pub fn participation(&self) -> f64 {
        Rates::share(self.participating, self.students_on_roll)
    }
}

/// Why a school's record of a term is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("未开展课后服务时，每周天数、每天时长和参加学生数应为0")]
    FiguresWithoutService,
    #[error("参加学生数{students}超过该校{term}在籍学生数{on_roll}")]
    AboveRoll {
        students: i64,
        on_roll: i64,
        term: String,
    },
}

/// A record that says the service was not offered carries no figures.
pub fn figures_without_service(
    offered: bool,
    days: i64,
    minutes: i64,
    students: i64,
) -> Option<Refusal> {
    (!offered && (days > 0 || minutes > 0 || students > 0))
        .then_some(Refusal::FiguresWithoutService)
}

/// More students taking part than the school has on the roll of the term (the registry is
/// the one source of the count).
pub fn above_roll(students: i64, on_roll: i64, term: &str) -> Option<Refusal> {
    (students > on_roll).then(|| Refusal::AboveRoll {
        students,
        on_roll,
        term: term.to_string(),
    })
}
