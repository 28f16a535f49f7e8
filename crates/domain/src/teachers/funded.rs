//! 公费定向师范生: selected in a year, trained at a normal college for a stage (and perhaps a
//! subject and township), then placed in the county and bound to serve in the directed
//! township for the service years of their agreement (RULES.md: 5–8 years; six by default).
//! Placement is the staff record with the same ID number and 补充渠道 公费师范生.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// Years of service owed after placement, unless the agreement says otherwise.
pub const DEFAULT_SERVICE_YEARS: u32 = 6;

/// Where a trainee stands, with the warnings a personnel officer acts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TraineeStanding {
    /// 在校培养: before the expected graduation.
    InTraining,
    /// 待安置: graduated (by year) and not yet on the staff roll.
    AwaitingPlacement,
    /// 逾期未安置: more than a year past graduation and still not placed.
    PlacementOverdue,
    /// 履约中: placed in the directed township (or no township directed).
    Serving,
    /// 未在定向乡镇服务: placed in another township.
    OutsideDirectedTownship,
    /// 履约期满.
    Fulfilled,
}

impl TraineeStanding {
    pub const ALL: &'static [TraineeStanding] = &[
        TraineeStanding::InTraining,
        TraineeStanding::AwaitingPlacement,
        TraineeStanding::PlacementOverdue,
        TraineeStanding::Serving,
        TraineeStanding::OutsideDirectedTownship,
        TraineeStanding::Fulfilled,
    ];

    pub fn label(self) -> &'static str {
        match self {
            TraineeStanding::InTraining => "在校培养",
            TraineeStanding::AwaitingPlacement => "待安置",
            TraineeStanding::PlacementOverdue => "逾期未安置",
            TraineeStanding::Serving => "履约中",
            TraineeStanding::OutsideDirectedTownship => "未在定向乡镇服务",
            TraineeStanding::Fulfilled => "履约期满",
        }
    }

    pub fn parse(raw: &str) -> Option<TraineeStanding> {
        Self::ALL.iter().copied().find(|s| s.label() == raw.trim())
    }

    /// Whether the personnel office must act.
    pub fn is_warning(self) -> bool {
        matches!(
            self,
            TraineeStanding::PlacementOverdue | TraineeStanding::OutsideDirectedTownship
        )
    }
}

crate::labels_in_json!(TraineeStanding);

impl std::fmt::Display for TraineeStanding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// A trainee's placement: the staff record's start date and township.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    pub start_date: Option<NaiveDate>,
    pub township_code: String,
}

/// The facts a standing is read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraineeFacts {
    pub expected_graduation: i32,
    /// The directed township's code, when the agreement names one.
    pub directed_township: Option<String>,
    pub service_years: u32,
    pub placement: Option<Placement>,
}

/// Service years completed by `today` (whole years since the start date).
pub fn years_served(start: NaiveDate, today: NaiveDate) -> u32 {
    let mut years = today.year() - start.year();
    if (today.month(), today.day()) < (start.month(), start.day()) {
        years -= 1;
    }
    years.max(0) as u32
}

/// The standing on `today`.
pub fn standing(facts: &TraineeFacts, today: NaiveDate) -> TraineeStanding {
    match &facts.placement {
        None if today.year() <= facts.expected_graduation => {
            // Graduates leave college in June/July; until then they are in training.
            if today.year() < facts.expected_graduation || today.month() < 7 {
                TraineeStanding::InTraining
            } else {
                TraineeStanding::AwaitingPlacement
            }
        }
        None if today.year() == facts.expected_graduation + 1 => TraineeStanding::AwaitingPlacement,
        None => TraineeStanding::PlacementOverdue,
        Some(p) => {
            if facts
                .directed_township
                .as_deref()
                .is_some_and(|t| t != p.township_code)
            {
                return TraineeStanding::OutsideDirectedTownship;
            }
            match p.start_date {
                Some(start) if years_served(start, today) >= facts.service_years => {
                    TraineeStanding::Fulfilled
                }
                _ => TraineeStanding::Serving,
            }
        }
    }
}

/// A trainee as shown: the standing and the years still owed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Obligation {
    pub standing: TraineeStanding,
    pub years_served: u32,
    pub years_left: u32,
}

pub fn obligation(facts: &TraineeFacts, today: NaiveDate) -> Obligation {
    let served = facts
        .placement
        .as_ref()
        .and_then(|p| p.start_date)
        .map(|s| years_served(s, today))
        .unwrap_or(0);
    Obligation {
        standing: standing(facts, today),
        years_served: served,
        years_left: facts.service_years.saturating_sub(served),
    }
}
