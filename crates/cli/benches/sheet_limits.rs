//! Refusal benchmark (issue #11): the files that used to crash or swamp the reader, each
//! given to `emis import students` (release build). Reports wall time, the process's
//! peak resident memory (VmHWM) and the message; the goal is < 2 s and < 300 MB each.
//! Also reports how large a legitimate 150,000-row student sheet is once unzipped, which
//! the 256 MB cap must stay comfortably above.
//!
//!   cargo bench -p emis --bench sheet_limits

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn emis() -> Command {
    Command::new(env!("CARGO_BIN_EXE_emis"))
}

/// Runs a command, polling its peak resident set (VmHWM) until it exits.
fn measure(mut cmd: Command) -> (Duration, u64, String) {
    let started = Instant::now();
    let out_path = std::env::temp_dir().join(format!("emis-limits-{}.out", std::process::id()));
    let out = std::fs::File::create(&out_path).expect("out");
    let err = out.try_clone().expect("out");
    let mut child = cmd.stdout(out).stderr(err).spawn().expect("spawn");
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0;
    loop {
        if let Ok(status) = std::fs::read_to_string(&status_path) {
            if let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:")) {
                let kb: u64 = line
                    .split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                peak_kb = peak_kb.max(kb);
            }
        }
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let elapsed = started.elapsed();
    let text = std::fs::read_to_string(&out_path).unwrap_or_default();
    let _ = std::fs::remove_file(&out_path);
    (elapsed, peak_kb, text)
}

fn million_row_csv(path: &Path) {
    let mut csv = String::with_capacity(60_000_000);
    csv.push_str("学校标识码,姓名,性别,身份证件号,年级,班级\n");
    for n in 0..1_000_000u32 {
        csv.push_str(&format!(
            "2143000001,学生{n},男,43122420150901{:04},一年级,1\n",
            n % 10_000
        ));
    }
    std::fs::write(path, csv).expect("csv");
}

fn legit_students_xlsx(path: &Path, rows: u32) {
    let headers: Vec<&str> = [
        "学校标识码",
        "姓名",
        "性别",
        "身份证件号",
        "年级",
        "班级",
        "出生日期",
        "民族",
        "户籍乡镇",
        "寄宿生",
        "家庭经济困难类型",
        "残疾类型",
        "学籍状态",
        "学期",
        "学籍号",
    ]
    .to_vec();
    let data = (0..rows).map(|n| {
        vec![
            format!("{}", 2143100000 + n % 300),
            format!("学生{n}"),
            "男".into(),
            format!("4312242015{:08}", n),
            "三年级".into(),
            format!("{}", 1 + n % 6),
            "2012-09-01".into(),
            "汉族".into(),
            "卢峰镇".into(),
            "否".into(),
            "无".into(),
            String::new(),
            "在读".into(),
            "2021-autumn".into(),
            format!("G4312242015{:08}", n),
        ]
    });
    emis_io::write_sheet(path, "学生", &headers, data).expect("xlsx");
}

fn main() {
    let dir = tempfile::tempdir().expect("temp");
    let db = format!("sqlite://{}", dir.path().join("bench.db").display());
    let schools = dir.path().join("schools.csv");
    std::fs::write(
        &schools,
        "学校标识码,学校名称,办学类型,所在乡镇\n2143000001,卢峰镇第一小学,小学,卢峰镇\n",
    )
    .expect("schools");
    let out = emis()
        .args(["--db", &db, "import", "schools"])
        .arg(&schools)
        .output()
        .expect("emis");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let xfd = dir.path().join("xfd.xlsx");
    std::fs::write(&xfd, emis_io::crafted::xfd_bomb()).expect("xfd");
    let bomb = dir.path().join("bomb.xlsx");
    std::fs::write(&bomb, emis_io::crafted::deflate_bomb(700 * 1024 * 1024)).expect("bomb");
    let lying = dir.path().join("bomb-lying-headers.xlsx");
    std::fs::write(
        &lying,
        emis_io::crafted::lie_about_sizes(&std::fs::read(&bomb).expect("bomb")),
    )
    .expect("lying");
    let csv = dir.path().join("million.csv");
    million_row_csv(&csv);

    println!("| file | size | time | peak RSS | message |");
    println!("|---|---|---|---|---|");
    for path in [&xfd, &bomb, &lying, &csv] {
        let size = std::fs::metadata(path).expect("size").len();
        let mut cmd = emis();
        cmd.args(["--db", &db, "import", "students"])
            .arg(path)
            .args(["--term", "2021-autumn"]);
        let (time, kb, text) = measure(cmd);
        let message = text.lines().last().unwrap_or_default().to_string();
        println!(
            "| {} | {} KB | {:.2} s | {} MB | {} |",
            path.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default(),
            size / 1024,
            time.as_secs_f64(),
            kb / 1024,
            message
        );
    }

    let legit = dir.path().join("legit.xlsx");
    legit_students_xlsx(&legit, 150_000);
    let bytes = std::fs::read(&legit).expect("legit");
    let unzipped = emis_io::crafted::unzipped_size(&bytes).unwrap_or(0);
    println!(
        "\n150,000-row student sheet (15 template columns, inline strings as our exports write them): {} MB on disk, {} MB unzipped (cap {} MB)",
        bytes.len() / 1024 / 1024,
        unzipped / 1024 / 1024,
        emis_io::Limits::default().unzipped_bytes / 1024 / 1024
    );
    let started = Instant::now();
    let table = emis_io::read_table(&legit, emis_app::imports::ImportKind::Students.columns())
        .expect("a legitimate sheet reads");
    println!(
        "read back in {:.2} s: {} rows",
        started.elapsed().as_secs_f64(),
        table.rows.len()
    );
}
