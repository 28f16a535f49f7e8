//! List pages benchmark (issue #13): every list page as the county officer sees it on the
//! demo county (SQLite), through the whole web stack in-process (router, session, access
//! gate, storage, template). Each page is asked `RUNS` times after one warm-up; prints the
//! median and p95 per page, the rows' total it showed, and whether p95 is under the target
//! (300 ms). Then each role's home (县股室, 局领导, 乡镇, 学校) with `EMIS_LISTS_BENCH_USERS` (20) concurrent
//! users asking it `HOME_RUNS` times each: median and p95 against 150 ms.
//!
//!   cargo bench -p emis --bench lists
//!   EMIS_LISTS_BENCH_DB=/tmp/lists.db cargo bench -p emis --bench lists   # keep the demo database
//!   EMIS_LISTS_BENCH_HOMES=only cargo bench -p emis --bench lists         # the homes alone
//!   EMIS_LISTS_BENCH_DB=postgres://… EMIS_LISTS_BENCH_USERS=50 …           # PostgreSQL, 50 users

mod common;

use axum::http::{Method, StatusCode};
use common::web::{signed_in, Session};
use emis_domain::access::Role;
use std::time::{Duration, Instant};

const RUNS: usize = 20;
const TARGET: Duration = Duration::from_millis(300);
const HOME_RUNS: usize = 10;
const HOME_TARGET: Duration = Duration::from_millis(150);

/// The list pages of the county officer, with the filters people use most.
const PAGES: &[&str] = &[
    "/students",
    "/students?page=500",
    "/students?sort=name",
    "/students?sort=birth&desc=1&size=200",
    "/students?grade=%E4%B8%89%E5%B9%B4%E7%BA%A7&status=%E5%9C%A8%E8%AF%BB",
    "/students?q=%E5%BC%A0",
    "/classes",
    "/classes?min=56&sort=size&desc=1",
    "/classes?page=70&size=50",
    "/schools",
    "/staff",
    "/enrollment/ledger",
    "/enrollment/ledger?state=open&sort=size&desc=1",
    "/aid/proposals",
    "/aid/batches",
    "/dropout/ledger",
    "/dropout/ledger?township=%E9%BE%99%E6%BD%AD%E9%95%87",
    "/safety/hazards",
    "/safety/hazards?overdue=1",
    "/safety/hazards?sort=school&size=200",
    "/safety/chain",
    "/safety/ten-haves",
    "/safety/ten-haves?state=open&sort=done&size=200",
    "/safety/ten-haves?township=%E9%BE%99%E6%BD%AD%E9%95%87",
    "/safety/letters",
    "/safety/letters?state=open&sort=rate",
    "/safety/letters?township=%E9%BE%99%E6%BD%AD%E9%95%87",
    "/teachers",
    "/teachers?page=3&size=20",
];

/// What the page says its total is ("共 N 条"), if it has a pager.
fn total(html: &str) -> String {
    html.split("<span id=\"total\">")
        .nth(1)
        .and_then(|rest| rest.split("</span>").next())
        .unwrap_or("-")
        .to_string()
}

/// How many users ask their home at once (`EMIS_LISTS_BENCH_USERS`, default 20).
fn users() -> usize {
    std::env::var("EMIS_LISTS_BENCH_USERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20)
}

/// `users()` sessions asking `/` at once, `HOME_RUNS` times each: every latency, sorted.
async fn home_under_load(s: &Session) -> Vec<Duration> {
    let mut clients = Vec::new();
    for _ in 0..users() {
        let mut s = s.clone();
        clients.push(tokio::spawn(async move {
            let mut times = Vec::with_capacity(HOME_RUNS);
            for _ in 0..HOME_RUNS {
                let started = Instant::now();
                let (status, _) = s.send(Method::GET, "/", String::new()).await;
                times.push(started.elapsed());
                assert_eq!(status, StatusCode::OK, "home");
            }
            times
        }));
    }
    let mut times = Vec::new();
    for user in clients {
        times.extend(user.await.expect("user"));
    }
    times.sort();
    times
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let (_dir, db) = common::demo_db("EMIS_LISTS_BENCH_DB", "lists.db", "enrollments").await;
    let app = emis_web::app(emis_web::AppState::new(db.clone(), "431224".into()));
    let mut s = signed_in(
        &db,
        &app,
        "431224",
        "bench_officer",
        Role::Officer,
        "431224",
    )
    .await;

    println!(
        "{:<60} {:>9} {:>9}  {:<14} ok",
        "page (county officer)", "median", "p95", "total"
    );
    let mut slow = 0;
    let pages = if std::env::var("EMIS_LISTS_BENCH_HOMES").as_deref() == Ok("only") {
        &[][..]
    } else {
        PAGES
    };
    for page in pages {
        let (status, body) = s.send(Method::GET, page, String::new()).await;
        if status != StatusCode::OK {
            println!("{page:<60} answered {status}");
            continue;
        }
        let mut times = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let started = Instant::now();
            let (status, _) = s.send(Method::GET, page, String::new()).await;
            times.push(started.elapsed());
            assert_eq!(status, StatusCode::OK, "{page}");
        }
        times.sort();
        let median = times[RUNS / 2];
        let p95 = times[(RUNS * 95).div_ceil(100) - 1];
        let ok = p95 < TARGET;
        if !ok {
            slow += 1;
        }
        println!(
            "{page:<60} {:>7.1}ms {:>7.1}ms  {:<14} {}",
            median.as_secs_f64() * 1000.0,
            p95.as_secs_f64() * 1000.0,
            total(&body),
            if ok { "yes" } else { "NO" }
        );
    }
    println!(
        "{slow} of {} pages over {} ms at p95",
        pages.len(),
        TARGET.as_millis()
    );

    // Each role's home with its users at once.
    let school = emis_storage::registry::schools(&db, "431224")
        .await
        .expect("schools")
        .into_iter()
        .find(|s| s.township_code == "431224100")
        .expect("a school of 卢峰镇");
    let roles = [
        ("bench_officer", Role::Officer, "431224", "县股室"),
        ("bench_leader", Role::Leader, "431224", "局领导"),
        (
            "bench_township",
            Role::Township,
            "431224100",
            "乡镇（卢峰镇）",
        ),
        (
            "bench_school",
            Role::SchoolAdmin,
            school.code.as_str(),
            "学校",
        ),
    ];
    println!(
        "{:<24} {:>9} {:>9}  ok ({} users × {HOME_RUNS} requests)",
        "home",
        "median",
        "p95",
        users()
    );
    for (user, role, org, label) in roles {
        let s = signed_in(&db, &s.app, "431224", user, role, org).await;
        // The first home after a change computes the scope's figures; the others share
        // them for a minute or until the next change (crate emis_web's `fresh`).
        let started = Instant::now();
        let _ = s.clone().send(Method::GET, "/", String::new()).await;
        let cold = started.elapsed();
        let times = home_under_load(&s).await;
        let median = times[times.len() / 2];
        let p95 = times[(times.len() * 95).div_ceil(100) - 1];
        println!(
            "{label:<24} {:>7.1}ms {:>7.1}ms  {}  (first, computing: {:.1}ms)",
            median.as_secs_f64() * 1000.0,
            p95.as_secs_f64() * 1000.0,
            if p95 < HOME_TARGET { "yes" } else { "NO" },
            cold.as_secs_f64() * 1000.0
        );
    }
}
