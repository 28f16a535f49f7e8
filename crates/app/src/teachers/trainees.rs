//! 公费定向师范生: the trainees of the scope with where each stands (in training, awaiting
//! placement, serving, outside the directed township, fulfilled) and the warnings.

use crate::auth::Account;
use crate::masked::{self, Masked};
use crate::Result;
use chrono::NaiveDate;
use emis_domain::access::{Permission, Scope};
use emis_domain::teachers::funded::{obligation, Obligation, Placement, TraineeFacts};
use emis_storage::teachers::{self as store, TraineeRow};
use emis_storage::Db;

masked::masks! {
    TraineeRow { id: id_number }
}

/// A trainee with their standing on a day.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct TraineeView {
    pub trainee: Masked<TraineeRow>,
    pub obligation: Obligation,
}

fn facts(t: &TraineeRow) -> TraineeFacts {
    TraineeFacts {
        expected_graduation: t.expected_graduation as i32,
        directed_township: t.township_code.clone(),
        service_years: u32::try_from(t.service_years).unwrap_or(0),
        placement: t.placed_township.as_ref().map(|township| Placement {
            start_date: t.placed_on.as_deref().and_then(|d| d.parse().ok()),
            township_code: township.clone(),
        }),
    }
}

/// Whether a trainee belongs to the scope: directed to or placed in its township, or
/// placed at its school.
fn in_scope(scope: &Scope, t: &TraineeRow) -> bool {
    match scope {
        Scope::County { .. } => true,
        Scope::Township { township, .. } => {
            t.township_code.as_deref() == Some(township)
                || t.placed_township.as_deref() == Some(township)
        }
        Scope::School { school, .. } | Scope::Class { school, .. } => {
            t.placed_school.as_deref() == Some(school)
        }
        Scope::Region { .. } => false,
    }
}

/// The trainees of the scope, optionally of one selection year, with their standing on
/// `today`; warnings first.
pub async fn list(
    db: &Db,
    account: &Account,
    year: Option<i64>,
    today: NaiveDate,
) -> Result<Vec<TraineeView>> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    let mut out: Vec<TraineeView> = store::trainees(db, account.county())
        .await?
        .into_iter()
        .filter(|t| in_scope(&account.scope, t))
        .filter(|t| year.is_none_or(|y| t.selection_year == y))
        .map(|t| TraineeView {
            obligation: obligation(&facts(&t), today),
            trainee: Masked::new(t),
        })
        .collect();
    out.sort_by_key(|v| !v.obligation.standing.is_warning());
    Ok(out)
}
