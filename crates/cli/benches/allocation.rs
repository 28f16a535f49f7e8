//! Enrollment benchmark (issue #4):
//!
//! 1. `allocate` on 20,000 applicants, 60 schools and 2,000 communities
//!    (`emis_domain::enrollment::synthetic_input`): wall time (median of runs) and the
//!    process's peak resident memory while allocating (VmHWM, reset before the runs).
//!    Targets: under 1 s and 200 MB.
//! 2. The class-size monitor page (`GET /enrollment`) of the demo county on SQLite,
//!    requested in-process through the router: median and worst of the requests.
//!    Target: under 100 ms.
//!
//!   cargo bench -p emis --bench allocation
//!   EMIS_BENCH_SKIP_DEMO=1 cargo bench -p emis --bench allocation   # allocation only

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{median, reset_peak, status_kb};
use emis_domain::enrollment::{allocate, synthetic_input};
use http_body_util::BodyExt;
use std::time::{Duration, Instant};
use tower::ServiceExt;

fn bench_allocation() {
    let started = Instant::now();
    let input = synthetic_input(20_000, 60, 2_000, 2021);
    let built = started.elapsed();
    let before = status_kb("VmRSS:").unwrap_or(0);
    reset_peak();
    let mut times = Vec::new();
    let mut placed = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let result = allocate(&input);
        times.push(t.elapsed());
        placed = result.placed_count();
        drop(result);
    }
    let peak = status_kb("VmHWM:").unwrap_or(0);
    let m = median(times.clone());
    println!(
        "allocation: 20000 applicants, 60 schools, 2000 communities ({} distances; input built in {:.0} ms): \
         median {:.1} ms, worst {:.1} ms over {} runs; {} placed; peak RSS {:.1} MB (input and harness {:.1} MB before the runs)",
        input.distances.len(),
        built.as_secs_f64() * 1e3,
        m.as_secs_f64() * 1e3,
        times.iter().max().copied().unwrap_or_default().as_secs_f64() * 1e3,
        times.len(),
        placed,
        peak as f64 / 1024.0,
        before as f64 / 1024.0,
    );
    assert!(m < Duration::from_secs(1), "allocation over 1 s");
    assert!(peak < 200 * 1024, "allocation over 200 MB");
}

async fn bench_monitor() {
    let dir = tempfile::tempdir().expect("temp");
    let url = format!("sqlite://{}", dir.path().join("demo.db").display());
    let db = emis_app::Db::open(&url).await.expect("open");
    let t = Instant::now();
    emis_app::demo::load_demo(&db, 2021, &emis_app::Actor::cli(), &emis_app::NoProgress)
        .await
        .expect("demo");
    println!("demo county loaded in {:.1} s", t.elapsed().as_secs_f64());
    let mut tx = db.begin().await.expect("tx");
    let hash = emis_app::accounts::hash_password("Bench2021pw").expect("hash");
    emis_storage::users::set_password(&mut tx, "admin", &hash, false)
        .await
        .expect("password");
    emis_storage::commit(tx).await.expect("commit");
    let admin = emis_app::auth::Account {
        username: "admin".into(),
        display_name: "admin".into(),
        role: emis_domain::access::Role::Admin,
        org_code: "431224".into(),
        org_name: "溆浦县".into(),
        scope: emis_domain::access::Scope::County {
            county: "431224".into(),
        },
        must_change_password: false,
    };
    let token = emis_app::auth::create_token(&db, &admin, "admin", "bench", "bench")
        .await
        .expect("token");
    let scope = admin.scope.clone();
    for term in [
        emis_domain::term::Term::spring(2021),
        emis_domain::term::Term::autumn(2021),
    ] {
        let mut times = Vec::new();
        for _ in 0..11 {
            let t = Instant::now();
            let m = emis_app::enrollment::monitor(&db, &scope, term)
                .await
                .expect("monitor");
            times.push(t.elapsed());
            assert!(m.total.classes > 3_000);
        }
        println!(
            "monitor service alone, {}: median {:.1} ms",
            term.code(),
            median(times).as_secs_f64() * 1e3
        );
    }
    let app = emis_web::app(emis_web::AppState::new(db.clone(), "431224".into()));
    for (uri, label) in [
        (
            "/enrollment?term=2021-spring",
            "monitor page, spring (732 large classes)",
        ),
        ("/enrollment?term=2021-autumn", "monitor page, autumn"),
    ] {
        let mut times = Vec::new();
        let mut bytes = 0;
        for _ in 0..11 {
            let request = Request::get(uri)
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .expect("request");
            let t = Instant::now();
            let response = app.clone().oneshot(request).await.expect("response");
            assert_eq!(response.status(), StatusCode::OK);
            let body = response
                .into_body()
                .collect()
                .await
                .expect("body")
                .to_bytes();
            times.push(t.elapsed());
            bytes = body.len();
        }
        let m = median(times.clone());
        println!(
            "{label}: median {:.1} ms, worst {:.1} ms over {} requests ({} KB of HTML with SVG)",
            m.as_secs_f64() * 1e3,
            times
                .iter()
                .max()
                .copied()
                .unwrap_or_default()
                .as_secs_f64()
                * 1e3,
            times.len(),
            bytes / 1024
        );
    }
}

fn main() {
    bench_allocation();
    if std::env::var("EMIS_BENCH_SKIP_DEMO").is_ok_and(|v| v != "0") {
        return;
    }
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(bench_monitor());
}
