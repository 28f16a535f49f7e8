//! 安全管理 (safety) storage: inspections, the hazard ledger with evidence metadata, water
//! bodies, the 九长 chain, patrols, 十有 and parent letters. Lists take a `Scope`; rules (the
//! state machine, overdue, coverage) stay in the domain. The parts have the same names as
//! in the app and web layers.

use crate::sql::Sql;
use emis_domain::access::Scope;

pub mod chain;
pub mod checklist;
pub mod dashboard;
pub mod evidence;
pub mod hazards;
pub mod inspections;
pub mod letters;
pub mod patrols;
pub mod roster;
pub mod ten_haves;
pub mod waters;

pub use self::{
    chain::*, checklist::*, dashboard::*, evidence::*, hazards::*, inspections::*, letters::*,
    patrols::*, roster::*, ten_haves::*, waters::*,
};

fn township_filter(sql: &mut Sql, scope: &Scope, column: &str) {
    match scope {
        // A region reads no county's records (`Scope::county` is its own code).
        Scope::Region { .. } => {
            sql.push(" AND 1 = 0");
        }
        Scope::County { .. } => {}
        Scope::Township { township, .. } => {
            sql.push(&format!(" AND {column} = "))
                .bind_text(township.clone());
        }
        Scope::School { school, .. } | Scope::Class { school, .. } => {
            sql.push(&format!(
                " AND {column} IN (SELECT township_code FROM schools WHERE code = "
            ))
            .bind_text(school.clone())
            .push(")");
        }
    }
}
