//! The teacher imports' kinds exported in their own template layout, so that an export
//! edited and imported again round-trips.

use crate::imports::ImportKind;
use crate::Result;
use emis_domain::aid::yuan;
use emis_domain::teachers::hours::display_tenths;
use emis_storage::teachers as store;
use emis_storage::Db;

fn yes_no(b: bool) -> String {
    (if b { "是" } else { "否" }).to_string()
}

/// The rows of a teacher kind (`None` for other kinds); `id` masks or keeps ID numbers and
/// `in_scope` keeps the rows of the export's school.
pub(crate) async fn rows(
    db: &Db,
    county: &str,
    kind: ImportKind,
    id: &dyn Fn(&str) -> String,
    in_scope: &dyn Fn(&str) -> bool,
) -> Result<Option<Vec<Vec<String>>>> {
    let rows = match kind {
        ImportKind::Trainings => store::participant_export(db, county)
            .await?
            .into_iter()
            .filter(|p| p.school_code.as_deref().is_some_and(in_scope))
            .map(|p| {
                vec![
                    p.training,
                    p.level.label().to_string(),
                    p.start_date,
                    p.end_date,
                    id(&p.id_number),
                    p.name.unwrap_or_default(),
                    display_tenths(p.hours),
                    yes_no(p.completed),
                ]
            })
            .collect(),
        ImportKind::Awards => {
            let scope = emis_domain::access::Scope::County {
                county: county.to_string(),
            };
            let mut out = Vec::new();
            for year in store::award_years(db, county).await? {
                for a in store::awards(
                    db,
                    &scope,
                    year as i32,
                    Some(emis_domain::teachers::awards::AwardStatus::Granted),
                )
                .await?
                {
                    if in_scope(&a.school_code) {
                        out.push(vec![
                            a.title,
                            a.granting_body,
                            a.granted_on.unwrap_or_default(),
                            id(&a.id_number),
                            a.name,
                            yuan(a.fen),
                        ]);
                    }
                }
            }
            out
        }
        ImportKind::FundedNormal => store::trainees(db, county)
            .await?
            .into_iter()
            .filter(|t| t.placed_school.as_deref().is_none_or(in_scope))
            .map(|t| {
                let township = t
                    .township_code
                    .as_deref()
                    .and_then(|code| emis_domain::divisions::county(county)?.township(code))
                    .map(|tw| tw.name.to_string())
                    .or(t.township_code)
                    .unwrap_or_default();
                vec![
                    t.name,
                    id(&t.id_number),
                    t.selection_year.to_string(),
                    t.source.label().to_string(),
                    t.institution,
                    t.stage.label().to_string(),
                    t.subject.unwrap_or_default(),
                    township,
                    t.expected_graduation.to_string(),
                    t.service_years.to_string(),
                ]
            })
            .collect(),
        ImportKind::Studios => store::stored_studios(db, county)
            .await?
            .into_iter()
            .map(|s| {
                vec![
                    s.name,
                    s.kind.label().to_string(),
                    id(&s.host_id_number),
                    s.founded_on,
                    s.subject.unwrap_or_default(),
                    s.closed_on.unwrap_or_default(),
                    s.members
                        .iter()
                        .map(|m| id(m))
                        .collect::<Vec<_>>()
                        .join("、"),
                ]
            })
            .collect(),
        _ => return Ok(None),
    };
    Ok(Some(rows))
}
