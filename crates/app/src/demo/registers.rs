//! The demo county's registers of issue #17: 公文登记 (the summary's documents and one
//! notice per 文号 the institutions' status changes carry), 安全事故 (2021's few out-of-school
//! incidents, all closed), 职业教育 (楚怡's programmes, agreement and intake) and the
//! vocational school's 曾用名. Each loads once: a county that has such records keeps them.

use crate::Result;
use emis_storage::audit::{Actor, Entry};
use emis_storage::documents::{self as documents, NewDocument};
use emis_storage::incidents::{self as incidents, NewIncident, NewStep};
use emis_storage::vocational::{self as vocational, NewAgreement, NewProgramme};
use emis_storage::Db;

pub(super) async fn load_demo(
    db: &Db,
    county: &str,
    demo: &emis_demo::DemoCounty,
    actor: &Actor,
) -> Result<()> {
    let by = actor.name.as_str();
    let mut tx = db.begin().await?;
    let mut loaded = serde_json::Map::new();
    if documents::documents(db, county).await?.is_empty() {
        let rows: Vec<NewDocument> = demo
            .documents
            .iter()
            .map(|d| NewDocument {
                issue_year: chrono::Datelike::year(&d.issued_on),
                number: d.number.clone(),
                title: d.title.clone(),
                issued_on: d.issued_on.to_string(),
                office: d.office.to_string(),
                category: d.category,
                file_key: None,
                file_name: None,
                file_mime: None,
                file_size: None,
            })
            .collect();
        documents::insert_documents(&mut tx, county, &rows, by).await?;
        loaded.insert("documents".into(), rows.len().into());
    }
    if incidents::incidents(db, county).await?.is_empty() {
        let rows = emis_demo::incidents::generate(&demo.schools);
        for i in &rows {
            let id = incidents::insert_incident(
                &mut tx,
                county,
                &NewIncident {
                    school_code: i.school_code.clone(),
                    happened_on: i.happened_on.to_string(),
                    category: i.category,
                    in_school: i.in_school,
                    deaths: i.deaths,
                    injuries: i.injuries,
                    account: i.account.to_string(),
                },
                by,
            )
            .await?;
            for (kind, on, note) in &i.steps {
                let step = NewStep {
                    kind: *kind,
                    happened_on: on.to_string(),
                    note: note.to_string(),
                };
                incidents::add_step(&mut tx, county, id, &step, by).await?;
            }
        }
        loaded.insert("incidents".into(), rows.len().into());
    }
    if vocational::programmes(db, county).await?.is_empty() {
        let rows = emis_demo::vocational::generate(&demo.schools);
        for p in &rows {
            let id = vocational::write_programme(
                &mut tx,
                county,
                &NewProgramme {
                    school_code: p.school_code.clone(),
                    name: p.name.to_string(),
                    code: Some(p.code.to_string()),
                    schooling: p.schooling,
                    partner: p.partner.map(str::to_string),
                },
                by,
            )
            .await?;
            if let (Some((title, signed, years)), Some(partner)) = (p.agreement, p.partner) {
                let a = NewAgreement {
                    programme_id: id,
                    title: title.to_string(),
                    partner: partner.to_string(),
                    signed_on: signed.to_string(),
                    years,
                };
                vocational::write_agreement(&mut tx, county, &a, by).await?;
            }
            for (year, students) in &p.intakes {
                vocational::write_intake(&mut tx, county, id, *year, *students, by).await?;
            }
        }
        loaded.insert("programmes".into(), rows.len().into());
        if let Some(school) = emis_demo::vocational::school(&demo.schools) {
            emis_storage::school_names::record_rename(
                &mut tx,
                county,
                &school.code,
                emis_demo::vocational::FORMER_NAME,
                &emis_demo::vocational::renamed_on().to_string(),
                by,
            )
            .await?;
        }
    }
    if !loaded.is_empty() {
        Entry::new(county, "demo", "registers", county)
            .after_json(&serde_json::Value::Object(loaded))
            .record(&mut tx, actor)
            .await?;
    }
    emis_storage::commit(tx).await?;
    Ok(())
}
