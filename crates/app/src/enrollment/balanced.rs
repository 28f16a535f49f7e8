//! 均衡分班: balanced classes formed from a run's placed intake, with their seeds.

use super::run_view;
use crate::auth::Account;
use crate::{AppError, Result};
use emis_domain::access::{Permission, Scope};
use emis_domain::class_size::ClassSizeRules;
use emis_domain::enrollment::{form_classes, Applicant, BalanceStudent};
use emis_domain::registry::Sex;
use emis_storage::audit::Entry;
use emis_storage::enrollment as store;
use emis_storage::Db;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// Forms balanced classes for a school's placed intake of a run, with the given seed (or
/// a fresh random one), and records them with the seed.
pub async fn form_balanced(
    db: &Db,
    account: &Account,
    run_id: i64,
    school: &str,
    seed: Option<u64>,
    source: &str,
) -> Result<i64> {
    crate::require(account.role, Permission::FormClasses)?;
    // A school forms its own intake only; planners any school's.
    let own_school = matches!(&account.scope, Scope::School { school: own, .. } if own == school);
    if !(account.role.permits(Permission::PlanEnrollment) || own_school) {
        return Err(AppError::Forbidden);
    }
    let county = account.county();
    let view = run_view(db, account, run_id).await?;
    let grade = view.result.grade;
    let applicants = store::applicants(db, county, view.run.year as i32, grade).await?;
    let by_id: HashMap<&str, &Applicant> = applicants.iter().map(|a| (a.id.as_str(), a)).collect();
    let students: Vec<BalanceStudent> = view
        .result
        .placements
        .iter()
        .filter(|p| p.school_code.as_deref() == Some(school))
        .filter_map(|p| by_id.get(p.applicant_id.as_str()))
        .map(|a| BalanceStudent {
            id: a.id.clone(),
            sex: a.sex,
            score: a.score,
        })
        .collect();
    if students.is_empty() {
        return Err(AppError::Refused("该校在本方案中没有录取学生".into()));
    }
    let size = view
        .result
        .school(school)
        .map(|s| s.class_size)
        .filter(|s| *s > 0)
        .unwrap_or_else(|| ClassSizeRules::default().standard_size(grade));
    let seed = seed.unwrap_or_else(rand::random::<u64>);
    let classes = form_classes(&students, size, seed);
    let mut tx = db.begin().await?;
    let id = store::insert_balanced(
        &mut tx,
        county,
        run_id,
        school,
        grade,
        size,
        seed,
        &classes,
        &account.username,
    )
    .await?;
    Entry::new(county, "balanced_classes", "school", school)
        .after_json(
            &serde_json::json!({"run": run_id, "seed": seed.to_string(), "classes": classes.len()}),
        )
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(id)
}

/// One balanced class summarised for display.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct BalancedView {
    pub id: i64,
    pub school_code: String,
    pub grade: String,
    pub seed: String,
    pub class_size: i64,
    pub created_by: String,
    pub created_at: String,
    /// (class number, size, boys, girls, mean score)
    pub classes: Vec<(usize, u32, u32, u32, String)>,
}

pub async fn balanced(db: &Db, account: &Account, run_id: i64) -> Result<Vec<BalancedView>> {
    let county = account.county();
    let view = run_view(db, account, run_id).await?;
    let applicants = store::applicants(db, county, view.run.year as i32, view.result.grade).await?;
    let by_id: HashMap<&str, &Applicant> = applicants.iter().map(|a| (a.id.as_str(), a)).collect();
    let visible: HashSet<&str> = view
        .result
        .schools
        .iter()
        .map(|s| s.school_code.as_str())
        .collect();
    let mut out = Vec::new();
    for row in store::balanced(db, county, run_id, None).await? {
        if !visible.contains(row.school_code.as_str()) {
            continue;
        }
        let groups: Vec<Vec<String>> = serde_json::from_str(&row.classes_json).unwrap_or_default();
        let classes = groups
            .iter()
            .enumerate()
            .map(|(i, ids)| {
                let mut boys = 0;
                let mut scores = Vec::new();
                for id in ids {
                    if let Some(a) = by_id.get(id.as_str()) {
                        boys += u32::from(a.sex == Sex::Male);
                        if let Some(s) = a.score {
                            scores.push(s);
                        }
                    }
                }
                let mean = if scores.is_empty() {
                    "—".to_string()
                } else {
                    format!("{:.1}", scores.iter().sum::<f64>() / scores.len() as f64)
                };
                (i + 1, ids.len() as u32, boys, ids.len() as u32 - boys, mean)
            })
            .collect();
        out.push(BalancedView {
            id: row.id,
            school_code: row.school_code,
            grade: row.grade.label().to_string(),
            seed: row.seed,
            class_size: row.class_size,
            created_by: row.created_by,
            created_at: row.created_at,
            classes,
        });
    }
    Ok(out)
}
