//! 教师队伍 pages: the staff roll with its breakdowns and a teacher's page (`roll`), the
//! staffing picture and standard (`staffing`), the recruitment plan (`recruitment`),
//! trainings and hours (`trainings`), 公费定向师范生 (`trainees`), studios (`studios`),
//! awards (`awards`) and 师德师风 (`conduct`): the same parts as in app and storage.

use crate::AppState;
use serde::Deserialize;

pub mod awards;
pub mod conduct;
pub mod recruitment;
pub mod roll;
pub mod staffing;
pub mod studios;
pub mod trainees;
pub mod trainings;

pub use self::{
    awards::*, conduct::*, recruitment::*, roll::*, staffing::*, studios::*, trainees::*,
    trainings::*,
};

fn crumbs() -> (&'static str, &'static str) {
    ("教师队伍", "/teachers")
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<i32>,
}

/// The asked year, else the latest with trainings.
async fn year_of(
    state: &AppState,
    county: &str,
    asked: Option<i32>,
) -> Result<i32, crate::error::PageError> {
    Ok(match asked {
        Some(y) => y,
        None => emis_app::teachers::default_year(&state.db, county, state.clock.today()).await?,
    })
}

/// Hours kept in tenths, for people.
pub fn hours(tenths: &i64) -> String {
    emis_domain::teachers::hours::display_tenths(*tenths)
}

/// Fen for people: 2,000,000.00.
pub fn yuan(fen: &i64) -> String {
    emis_domain::aid::yuan(*fen)
}
