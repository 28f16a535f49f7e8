//! 全省 benchmark (issue #19): many counties in one PostgreSQL database. Load them first
//! with the command line, which prints each county's load time:
//!
//!   emis --db postgres://emis:emis@127.0.0.1:5432/emis_prov demo --province 100
//!   EMIS_PROVINCE_URL=postgres://emis:emis@127.0.0.1:5432/emis_prov cargo bench -p emis --bench province
//!
//! Measured on what is there: the database's size and rows; one county's annual report as
//! docx and its indicators (median of 3); the province roll-up as `/region` computes it
//! (each county's main indicators); every county's whole annual indicators
//! (`EMIS_PROVINCE_PARALLEL` counties at once, default 4); the dropout comparison
//! of one county and of the whole province from the database (every county's population
//! roll against every county's school roll); and the student list of 50 county officers of
//! different counties at once, 20 pages each (`EMIS_PROVINCE_PAGES`; p50/p95/p99). `EMIS_PROVINCE_STEPS` picks
//! some of them (`report,rollup,annual,dropout,list`; all by default).

mod common;

use axum::http::{Method, StatusCode};
use common::web::signed_in;
use emis_app::report::{annual_indicators, annual_report, ReportFormat};
use emis_app::Db;
use emis_domain::access::Role;
use std::time::{Duration, Instant};

const CLIENTS: usize = 50;
/// Pages each officer opens (`EMIS_PROVINCE_PAGES`, else 20).
fn client_runs() -> usize {
    std::env::var("EMIS_PROVINCE_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20)
}

async fn scalar(db: &Db, sql: &'static str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(db.pool())
        .await
        .unwrap_or(-1)
}

/// Whether `EMIS_PROVINCE_STEPS` names this step (every step when it is unset).
fn step(name: &str) -> bool {
    std::env::var("EMIS_PROVINCE_STEPS")
        .map(|steps| steps.split(',').any(|s| s.trim() == name))
        .unwrap_or(true)
}

fn percentile(sorted: &[Duration], p: usize) -> f64 {
    sorted[(sorted.len() * p).div_ceil(100).max(1) - 1].as_secs_f64() * 1000.0
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let Ok(url) = std::env::var("EMIS_PROVINCE_URL") else {
        println!(
            "EMIS_PROVINCE_URL not set: load a province first (emis --db URL demo --province 100)"
        );
        return;
    };
    let db = Db::open(&url).await.expect("open");
    let mut counties = Vec::new();
    for code in emis_storage::registry::counties(&db)
        .await
        .expect("counties")
    {
        if emis_storage::registry::count(&db, "students", &code)
            .await
            .unwrap_or(0)
            > 0
        {
            counties.push(code);
        }
    }
    let size = scalar(&db, "SELECT pg_database_size(current_database())").await;
    println!(
        "{} counties: {} students, {} term rows, {} population rows, {} aid payments, {} hazards; database {:.1} GB",
        counties.len(),
        scalar(&db, "SELECT count(*) FROM students").await,
        scalar(&db, "SELECT count(*) FROM enrollments").await,
        scalar(&db, "SELECT count(*) FROM population_persons").await,
        scalar(&db, "SELECT count(*) FROM aid_payments").await,
        scalar(&db, "SELECT count(*) FROM safety_hazards").await,
        size as f64 / 1e9
    );
    let Some(one) = counties.last().cloned() else {
        return;
    };
    let date = chrono::NaiveDate::from_ymd_opt(2022, 1, 10).expect("date");

    // One county's annual report.
    if step("report") {
        let mut docx = Vec::new();
        let mut json = Vec::new();
        for _ in 0..3 {
            let started = Instant::now();
            annual_report(&db, &one, 2021, ReportFormat::Docx, date)
                .await
                .expect("report");
            docx.push(started.elapsed());
            let started = Instant::now();
            annual_indicators(&db, &one, 2021)
                .await
                .expect("indicators");
            json.push(started.elapsed());
        }
        println!(
        "one county ({one}): 2021 summary as docx median {:.2} s, its indicators {:.2} s (target < 2 s)",
        common::median(docx).as_secs_f64(),
        common::median(json).as_secs_f64()
    );
    }

    // The province roll-up as /region computes it: each county's main indicators.
    if step("rollup") {
        let started = Instant::now();
        let figures = emis_app::region::county_figures(&db, &counties, 2021)
            .await
            .expect("roll-up");
        let total = emis_domain::region::total(&figures);
        println!(
            "province roll-up (/region): {} counties' main indicators in {:.1} s, {} schools (target < 60 s)",
            figures.len(),
            started.elapsed().as_secs_f64(),
            total.schools
        );
    }

    // Every county's whole set of annual indicators (what each county's report computes).
    if step("annual") {
        let parallel: usize = std::env::var("EMIS_PROVINCE_PARALLEL")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(4);
        let started = Instant::now();
        let mut students = 0.0;
        for chunk in counties.chunks(parallel) {
            let sets = futures_join(&db, chunk).await;
            for set in sets {
                if let Some(emis_domain::indicators::Value::Count(n)) = set.get("students.enrolled")
                {
                    students += n as f64;
                }
            }
        }
        println!(
            "every county's annual indicators ({parallel} at once) in {:.1} s, {students} students enrolled",
            started.elapsed().as_secs_f64()
        );
    }

    // 控辍保学 comparison from the database: one county, then every county at once.
    if step("dropout") {
        for (label, scope) in [
            ("one county", &counties[counties.len() - 1..]),
            ("province", &counties[..]),
        ] {
            common::reset_peak();
            let started = Instant::now();
            let comparison = emis_app::dropout::compare_counties(&db, scope, 2021)
                .await
                .expect("comparison");
            println!(
            "dropout comparison, {label}: {} population rows × {} roll rows in {:.1} s, {} suspected (peak RSS {} MB; target < 30 s)",
            comparison.persons,
            comparison.roll,
            started.elapsed().as_secs_f64(),
            comparison.counts.suspected,
            common::status_kb("VmHWM:").unwrap_or(0) / 1024
        );
        }
    }

    // The student list: 50 county officers of different counties at once.
    if step("list") {
        let app = emis_web::app(emis_web::AppState::new(db.clone(), one.clone()));
        let mut sessions = Vec::new();
        for i in 0..CLIENTS {
            let county = &counties[i % counties.len()];
            let user = format!("bench_{county}");
            sessions.push(signed_in(&db, &app, county, &user, Role::Officer, county).await);
        }
        // Each officer first opens the list, as a user arrives at it: the visit that
        // counts the county's classes (kept 15 s), timed on its own.
        let started = Instant::now();
        let mut arrivals = Vec::new();
        for mut session in sessions {
            arrivals.push(tokio::spawn(async move {
                let started = Instant::now();
                let (status, _) = session.send(Method::GET, "/students", String::new()).await;
                assert_eq!(status, StatusCode::OK);
                (session, started.elapsed())
            }));
        }
        let (mut sessions, mut firsts) = (Vec::new(), Vec::new());
        for arrival in arrivals {
            let (session, took) = arrival.await.expect("client");
            sessions.push(session);
            firsts.push(took);
        }
        firsts.sort();
        println!(
            "student list, first page of {CLIENTS} officers at once in {:.1} s: p50 {:.1} ms, max {:.1} ms",
            started.elapsed().as_secs_f64(),
            percentile(&firsts, 50),
            percentile(&firsts, 100)
        );
        let client_runs = client_runs();
        let started = Instant::now();
        let mut clients = Vec::new();
        for (i, mut session) in sessions.into_iter().enumerate() {
            clients.push(tokio::spawn(async move {
                let mut times = Vec::with_capacity(client_runs);
                for run in 0..client_runs {
                    let page = 1 + (i * 37 + run * 101) % 700;
                    let uri = format!("/students?page={page}");
                    let started = Instant::now();
                    let (status, _) = session.send(Method::GET, &uri, String::new()).await;
                    times.push(started.elapsed());
                    assert_eq!(status, StatusCode::OK, "{uri}");
                }
                times
            }));
        }
        let mut times = Vec::new();
        for client in clients {
            times.extend(client.await.expect("client"));
        }
        times.sort();
        println!(
        "student list, {CLIENTS} officers of {} counties × {client_runs} pages in {:.1} s: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms (target p99 ≤ 50 ms)",
        CLIENTS.min(counties.len()),
        started.elapsed().as_secs_f64(),
        percentile(&times, 50),
        percentile(&times, 95),
        percentile(&times, 99)
    );
    }
    db.close().await;
}

/// The annual indicators of some counties at once.
async fn futures_join(db: &Db, counties: &[String]) -> Vec<emis_domain::indicators::IndicatorSet> {
    let mut tasks = Vec::new();
    for county in counties {
        let db = db.clone();
        let county = county.clone();
        tasks.push(tokio::spawn(async move {
            annual_indicators(&db, &county, 2021)
                .await
                .expect("indicators")
        }));
    }
    let mut sets = Vec::new();
    for task in tasks {
        sets.push(task.await.expect("task"));
    }
    sets
}
