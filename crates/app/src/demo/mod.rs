//! 演示县: loads the generated demo county through the same storage path as imports.
//!
//! Each feature's demo records load from their own file: `safety`, `dropout`,
//! `enrollment`, `aid`, `teachers`, `double_reduction`, `forms`, `projects`, `honours`,
//! `registers`, `party` and `supervision`; `campaigns` writes the campaigns of visits.

use crate::{Progress, Result};
use emis_storage::audit::{Actor, Entry};
use emis_storage::{registry, Db};

mod aid;
mod campaigns;
mod double_reduction;
mod dropout;
mod enrollment;
mod forms;
mod honours;
mod party;
mod projects;
pub mod province;
mod registers;
mod safety;
mod supervision;
mod teachers;

/// The demo county's 党建 records alone, from the county generated with `seed` (tests load
/// them into a county without the roll).
pub async fn load_party(db: &Db, seed: u64, actor: &Actor) -> Result<()> {
    let demo = emis_demo::generate(seed);
    registry::ensure_county(db, demo.county).await?;
    party::load_demo(db, demo.county.code, &demo.party, actor).await
}

/// 怀化市, the city of the demo county (溆浦县).
pub const DEMO_REGION: &str = "431200";

#[derive(Debug, Default)]
pub struct DemoSummary {
    pub schools: usize,
    pub student_rows: usize,
    pub staff: usize,
    pub cases: usize,
    pub home_teaching_plans: usize,
    pub admin: Option<crate::accounts::CreatedAccount>,
    /// 怀化市's office (`huaihua`, 市州/省教育局), reading the demo county's roll-up.
    pub region: Option<crate::accounts::CreatedAccount>,
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
    write_roll(db, &demo, seed, actor, progress).await?;
    if !emis_storage::safety::has_records(db, county).await? {
        progress.stage("写入安全管理演示数据", 0);
        let started = std::time::Instant::now();
        let safety = emis_demo::safety::generate(seed, &demo.schools, &demo.students);
        let generated_ms = started.elapsed().as_millis() as u64;
        safety::load_safety(db, county, &safety, actor).await?;
        // 2020's hazards, for the year-over-year figures.
        safety::load_previous_hazards(db, county, &safety).await?;
        tracing::info!(
            hazards = safety.hazards.len(),
            patrols = safety.patrols.len(),
            generate_ms = generated_ms,
            ms = started.elapsed().as_millis() as u64,
            "safety demo loaded"
        );
    }
    progress.stage("控辍保学与送教上门", 0);
    let dropout = dropout::load_demo(db, demo.county, &demo.dropout, actor).await?;
    progress.stage("招生派位与均衡编班记录", 0);
    enrollment::load_demo_intake(db, county, &demo, actor).await?;
    progress.stage("学生资助（申报、审核、审批、发放）", 0);
    aid::load_demo(db, county, &demo, actor).await?;
    // 2020's payments, for the year-over-year figures.
    aid::load_previous_year(db, county, actor).await?;
    progress.stage("教师队伍（培训、公费师范生、工作室、表彰、师德师风）", 0);
    teachers::load_demo(db, county, &demo, actor).await?;
    progress.stage("双减（校外培训机构、课后服务、五项管理、专项督查）", 0);
    double_reduction::load_demo(db, county, &demo, actor).await?;
    progress.stage("数据采集（内置报表及2021年填报）", 0);
    forms::load_demo(db, county, &demo.forms, actor).await?;
    progress.stage("建设项目（投资、竣工与新增学位）", 0);
    projects::load_demo(db, county, &demo, actor).await?;
    progress.stage("荣誉与竞赛", 0);
    honours::load_demo(db, county, &demo, actor).await?;
    progress.stage("公文登记、安全事故与职业教育", 0);
    registers::load_demo(db, county, &demo, actor).await?;
    progress.stage("党建（党支部、党员发展、三会一课）", 0);
    party::load_demo(db, county, &demo.party, actor).await?;
    progress.stage("督导（督导检查、绩效目标管理评估）", 0);
    supervision::load_demo(db, county, &demo, actor).await?;
    progress.stage("2020年学籍与班级（同比）", 0);
    load_previous_roll(db, county, actor).await?;
    progress.stage("2020年控辍保学与送教上门（同比）", 0);
    load_previous_dropout(db, &demo, seed, actor).await?;
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
                None,
                None,
                actor,
            )
            .await?,
        )
    };
    // The city above the demo county, so the region's roll-up can be tried at once; made
    // with the administrator, on a fresh database only.
    let region = match &admin {
        Some(_) => Some(
            crate::accounts::add_user(
                db,
                DEMO_REGION,
                "huaihua",
                emis_domain::access::Role::Region,
                DEMO_REGION,
                None,
                None,
                actor,
            )
            .await?,
        ),
        None => None,
    };
    Ok(DemoSummary {
        schools: demo.schools.len(),
        student_rows: demo.students.len(),
        staff: demo.staff.len(),
        cases: dropout.cases_created,
        home_teaching_plans: demo.dropout.plans.len(),
        admin,
        region,
    })
}

/// The county's schools, its students with their roll of both terms, and its staff, in one
/// transaction.
async fn write_roll(
    db: &Db,
    demo: &emis_demo::DemoCounty,
    seed: u64,
    actor: &Actor,
    progress: &dyn Progress,
) -> Result<()> {
    let county = demo.county.code;
    let total = (demo.schools.len() + demo.students.len() + demo.staff.len()) as u64;
    progress.stage("写入数据库", total);
    let mut tx = db.begin().await?;
    registry::upsert_schools(&mut tx, county, &demo.schools).await?;
    progress.advance(demo.schools.len() as u64);
    for chunk in demo.students.chunks(20_000) {
        let writes: Vec<_> = chunk.iter().map(registry::RollWrite::upsert).collect();
        registry::write_students(&mut tx, county, &writes).await?;
        progress.advance(chunk.len() as u64);
    }
    let staff: Vec<_> = demo.staff.iter().collect();
    registry::write_staff(&mut tx, county, &staff).await?;
    progress.advance(staff.len() as u64);
    Entry::new(county, "demo", "county", county).after_json(&serde_json::json!({"seed": seed, "schools": demo.schools.len(), "student_rows": demo.students.len(), "staff": demo.staff.len()})).record(&mut tx, actor)
    .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

/// 2020's roll, for the year-over-year figures (学籍在册, 大班额, 送教上门): the spring
/// 2021 classes and roll carried back to both terms of 2020, as 2020's payments and hazards
/// are carried back from 2021's. Autumn 2020 is the same school year as spring 2021, so it
/// keeps nearly everyone (one in 37 left out: pupils who arrived over the winter); spring
/// 2020, a year before, leaves out one in 101, so its large classes are a few fewer (637
/// against 664), as a county whose roll still grows would see. Copied inside the database
/// (two statements a term: about 1.3 s of CPU for 280,000 roll entries on SQLite).
async fn load_previous_roll(db: &Db, county: &str, actor: &Actor) -> Result<u64> {
    let mut tx = db.begin().await?;
    let mut written = 0;
    for (term, leave_out_every) in [("2020-spring", 101), ("2020-autumn", 37)] {
        written +=
            registry::copy_roll(&mut tx, county, "2021-spring", term, leave_out_every).await?;
    }
    if written > 0 {
        Entry::new(county, "demo", "roll_2020", county)
            .after_json(&serde_json::json!({ "enrollments": written }))
            .record(&mut tx, actor)
            .await?;
    }
    emis_storage::commit(tx).await?;
    Ok(written)
}

/// 2020's 控辍保学 and 送教上门, for the year-over-year figures (疑似辍学, 未销号, 送教上门):
/// 2020's population roll derived from 2021's over the 2020 roll just written
/// ([`emis_demo::dropout::previous_year`]), compared with the autumn 2020 roll as an import
/// would, its cases worked through the case workflow and its 送教上门 plans stored, by the
/// same loader as 2021's. The two 2020 rolls are read once each (one statement a term), one
/// after the other. About 2.5 s of a 24 s debug load on SQLite; nothing when loaded before.
async fn load_previous_dropout(
    db: &Db,
    demo: &emis_demo::DemoCounty,
    seed: u64,
    actor: &Actor,
) -> Result<()> {
    use emis_storage::dropout::{roll_for_matching, RollRow};
    use std::collections::HashSet;
    let started = std::time::Instant::now();
    let county = demo.county.code;
    let as_of = emis_demo::dropout::previous_as_of().to_string();
    if emis_storage::dropout::snapshot_by_date(db, county, &as_of)
        .await?
        .is_some()
    {
        // Loaded before (a second `emis demo`): the comparison would change nothing.
        return Ok(());
    }
    let home_taught = |roll: &[RollRow]| -> HashSet<String> {
        let label = emis_domain::registry::StudentStatus::HomeTaught.label();
        roll.iter()
            .filter(|r| r.status == label)
            .map(|r| r.id_number.clone())
            .collect()
    };
    // One roll in memory at a time: the comparison reads the autumn one again.
    let spring_home = home_taught(&roll_for_matching(db, county, "2020-spring").await?);
    let autumn = roll_for_matching(db, county, "2020-autumn").await?;
    let autumn_home = home_taught(&autumn);
    let on_roll: HashSet<String> = autumn.into_iter().map(|r| r.id_number).collect();
    let previous = emis_demo::dropout::previous_year(
        seed,
        &demo.dropout,
        &demo.schools,
        &demo.students,
        &demo.staff,
        &on_roll,
        [&spring_home, &autumn_home],
    );
    let report = dropout::load_demo(db, demo.county, &previous, actor).await?;
    tracing::info!(
        population = previous.population.len(),
        cases = report.cases_created,
        plans = previous.plans.len(),
        ms = started.elapsed().as_millis() as u64,
        "dropout 2020 demo loaded"
    );
    Ok(())
}
