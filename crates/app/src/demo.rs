//! 演示县: loads the generated demo county through the same storage path as imports.

use crate::{Progress, Result};
use emis_storage::audit::{self, Actor, Entry};
use emis_storage::{registry, Db};

#[derive(Debug, Default)]
pub struct DemoSummary {
    pub schools: usize,
    pub student_rows: usize,
    pub staff: usize,
    pub admin: Option<crate::accounts::CreatedAccount>,
}

pub async fn load_demo(
    db: &Db,
    seed: u64,
    actor: &Actor,
    progress: &dyn Progress,
) -> Result<DemoSummary> {
    progress.stage("生成演示县数据", 0);
    let demo = emis_demo::generate(seed);
    let county = demo.county.code;
    registry::ensure_county(db, demo.county).await?;
    let total = (demo.schools.len() + demo.students.len() + demo.staff.len()) as u64;
    progress.stage("写入数据库", total);
    let mut tx = db.begin().await?;
    registry::upsert_schools(&mut tx, county, &demo.schools).await?;
    progress.advance(demo.schools.len() as u64);
    for chunk in demo.students.chunks(20_000) {
        let refs: Vec<_> = chunk.iter().collect();
        registry::write_students(&mut tx, county, &refs).await?;
        progress.advance(chunk.len() as u64);
    }
    let staff: Vec<_> = demo.staff.iter().collect();
    registry::write_staff(&mut tx, county, &staff).await?;
    progress.advance(staff.len() as u64);
    audit::record(
        &mut tx,
        actor,
        Entry {
            county,
            action: "demo",
            entity: "county",
            entity_key: county,
            before: None,
            after: Some(serde_json::json!({"seed": seed, "schools": demo.schools.len(), "student_rows": demo.students.len(), "staff": demo.staff.len()}).to_string()),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    progress.stage("招生派位与均衡编班记录", 0);
    crate::enrollment::load_demo_intake(db, county, &demo, actor).await?;
    db.analyze().await?;
    let admin = if emis_storage::users::exists_any(db, county).await? {
        None
    } else {
        Some(
            crate::accounts::add_user(
                db,
                county,
                "admin",
                emis_domain::access::Role::Admin,
                county,
                actor,
            )
            .await?,
        )
    };
    Ok(DemoSummary {
        schools: demo.schools.len(),
        student_rows: demo.students.len(),
        staff: demo.staff.len(),
        admin,
    })
}
