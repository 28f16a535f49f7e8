use clap::{Args, Parser, Subcommand};
use emis_app::enrollment;
use emis_app::imports::{ImportKind, ImportOptions};
use emis_app::report::ReportFormat;
use emis_app::{Actor, AppError, Db, Progress};
use emis_domain::access::Role;
use emis_domain::term::Term;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "emis", version, about = "县域教育管理信息系统 county-emis")]
struct Cli {
    /// 数据库：sqlite://路径、文件路径或 postgres://…
    #[arg(
        long,
        global = true,
        env = "EMIS_DATABASE_URL",
        default_value = "sqlite://emis.db"
    )]
    db: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 创建并迁移数据库，载入县及其乡镇
    Init {
        #[arg(long, default_value = "431224")]
        county: String,
    },
    /// 载入演示县（溆浦县 2021）
    Demo {
        #[arg(long, default_value_t = 2021)]
        seed: u64,
        /// 改为载入 N 个模拟县（省、市州规模测量用；已载入的县跳过）
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100))]
        province: Option<u32>,
    },
    /// 启动网页与 JSON API
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// 数据库为空时先载入演示县
        #[arg(long)]
        demo: bool,
        /// 网页上传文件的大小上限（MB）
        #[arg(long, env = "EMIS_UPLOAD_LIMIT_MB", default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=1024))]
        upload_limit_mb: u32,
    },
    /// 账号管理
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// 导入：schools、students、staff、population（户籍适龄人口）、poverty（脱贫户）、trainings、awards、funded-normal、studios 等
    Import(ImportArgs),
    /// 导出（与导入模板同列）
    Export(ExportArgs),
    /// 报告
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// 安全管理：导出隐患整改销号登记表
    Safety {
        #[command(subcommand)]
        command: SafetyCommand,
    },
    /// 数据采集：报表定义、下发与完成情况
    Forms {
        #[command(subcommand)]
        command: crate::forms::FormsCommand,
    },
    /// SQLite 数据库的一致性备份
    Backup {
        #[arg(short, long)]
        output: PathBuf,
    },
    /// 把一个县的整个数据库迁到另一种数据库（如 SQLite → 市级 PostgreSQL），迁移前后指标逐项比对
    Migrate {
        /// 源数据库：sqlite://路径 或 postgres://…
        #[arg(long)]
        from: String,
        /// 目标数据库（须为空库）
        #[arg(long)]
        to: String,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// 新建账号，初始密码只显示一次
    Add {
        name: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        org: String,
        /// 班主任的班级，如 三年级3班
        #[arg(long)]
        class: Option<String>,
        /// 股室账号所属股室（资助中心、安全、人事、基础教育、办公室……；也可写 安全股、基教股）
        #[arg(long)]
        office: Option<String>,
    },
}

#[derive(Args)]
struct ImportArgs {
    kind: String,
    file: PathBuf,
    #[arg(long)]
    term: Option<String>,
    #[arg(long)]
    skip_invalid: bool,
    #[arg(long)]
    errors: Option<PathBuf>,
    #[arg(long)]
    dry_run: bool,
    /// population：户籍名册的名册日期（默认今天）
    #[arg(long)]
    as_of: Option<String>,
    /// 招生年度（zones、applicants），默认 2021
    #[arg(long)]
    year: Option<i32>,
    /// 入学年级（applicants）：一年级 或 七年级
    #[arg(long)]
    grade: Option<String>,
}

#[derive(Args)]
struct ExportArgs {
    kind: String,
    #[arg(short, long)]
    output: PathBuf,
    #[arg(long)]
    term: Option<String>,
    /// 导出完整身份证件号（记入审计日志）
    #[arg(long)]
    unmasked: bool,
    /// 只导出一所学校（学校标识码）
    #[arg(long)]
    school: Option<String>,
    /// population-ledger：台账 suspected（疑似辍学，默认）、school-age（适龄儿童）、dropout（辍学）
    #[arg(long, default_value = "suspected")]
    ledger: String,
    /// students：national 按全国学籍系统模板的列名与代码值（如 1-男、15-土家族、2-住校）导出
    #[arg(long)]
    layout: Option<String>,
}

#[derive(Subcommand)]
enum SafetyCommand {
    /// 隐患整改销号登记表（xlsx 或 csv）
    Ledger {
        /// 排查年度
        #[arg(long)]
        year: i32,
        #[arg(short, long)]
        output: PathBuf,
        /// 只导出一所学校（学校标识码）
        #[arg(long)]
        school: Option<String>,
    },
}

#[derive(Subcommand)]
enum ReportCommand {
    /// 年度报告
    Annual {
        #[arg(long)]
        year: i32,
        #[arg(long, default_value = "json")]
        format: String,
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

/// A terminal progress bar; hidden when stderr is not a terminal.
struct Bar(ProgressBar);

impl Bar {
    fn new() -> Bar {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{msg:12} [{bar:40}] {pos}/{len} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        Bar(bar)
    }
}

impl Progress for Bar {
    fn stage(&self, name: &str, total: u64) {
        self.0.set_message(name.to_string());
        self.0.set_length(total);
        self.0.set_position(0);
    }
    fn advance(&self, by: u64) {
        self.0.inc(by);
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}

pub fn main() -> ExitCode {
    // RUST_LOG filters (e.g. `RUST_LOG=emis_web=debug,info`); the default is info.
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("无法启动运行时：{e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(AppError::Usage(message)) => {
            eprintln!("用法错误：{message}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("错误：{e}");
            ExitCode::from(1)
        }
    }
}

async fn import_population(db: &Db, args: ImportArgs, actor: &Actor) -> Result<ExitCode, AppError> {
    let as_of = match args.as_of.as_deref() {
        Some(raw) => emis_domain::dates::parse_date(raw)
            .ok_or_else(|| AppError::Usage(format!("日期“{raw}”无法识别，应如 2021-09-15")))?,
        None => emis_app::Clock::from_env()?.today(),
    };
    let county = county_of(db).await?;
    let report = emis_app::dropout::import_population_file(
        db,
        &county,
        &args.file,
        as_of,
        parse_term(args.term.as_deref())?,
        args.dry_run,
        actor,
    )
    .await?;
    for note in &report.import.notes {
        println!("{note}");
    }
    for problem in &report.import.problems {
        println!("{problem}");
    }
    for warning in &report.import.warnings {
        println!("warning: {warning}");
    }
    if !report.import.problems.is_empty() {
        println!(
            "户籍适龄人口：共{}行，有效{}行，拒绝{}行",
            report.import.rows,
            report.import.valid_rows,
            report.import.rows - report.import.valid_rows
        );
        println!(
            "导入被拒绝：共{}处问题，数据库未作任何改动。",
            report.import.problems.len()
        );
        db.close().await;
        return Ok(ExitCode::from(1));
    }
    println!(
        "户籍适龄人口（{}，比对{}学籍）：共{}行，新增{}，更新{}，未变{}",
        report.snapshot_date,
        report.term,
        report.import.rows,
        report.import.inserted,
        report.import.updated,
        report.import.unchanged
    );
    for line in report.ledger_lines() {
        println!("{line}");
    }
    println!("新建一人一案：{}件", report.cases_created);
    if args.dry_run {
        println!("试运行（--dry-run）：未写入数据库。");
    }
    db.close().await;
    Ok(ExitCode::SUCCESS)
}

fn parse_term(raw: Option<&str>) -> Result<Option<Term>, AppError> {
    raw.map(|t| {
        Term::parse(t).ok_or_else(|| {
            AppError::Usage(format!(
                "学期“{t}”无法识别，应如 2021-spring 或 2021-autumn"
            ))
        })
    })
    .transpose()
}

/// The database's county; a fresh database gets the default county (溆浦县).
async fn migrate(from: &str, to: &str) -> Result<ExitCode, AppError> {
    let source = Db::open(from).await?;
    let target = Db::open(to).await?;
    let moved = emis_app::moving::move_county(&source, &target, &|table, rows| {
        println!("  {table}: {rows} 行");
    })
    .await?;
    let rows: i64 = moved.tables.iter().map(|t| t.rows).sum();
    println!(
        "已迁移县 {}：{} 张表，共 {rows} 行",
        moved.county,
        moved.tables.len()
    );
    for (year, n) in &moved.years {
        println!("  {year} 年 {n} 项指标迁移前后一致");
    }
    source.close().await;
    target.close().await;
    Ok(ExitCode::SUCCESS)
}

/// The accounts a fresh demo made, each password shown this once.
fn print_demo_accounts(summary: &emis_app::demo::DemoSummary) {
    if let Some(admin) = &summary.admin {
        println!(
            "管理员账号：{}　初始密码：{}（只显示这一次，首次登录须修改）",
            admin.username, admin.password
        );
    }
    if let Some(region) = &summary.region {
        println!(
            "怀化市教育局账号（市州，只读各县汇总）：{}　初始密码：{}（只显示这一次，首次登录须修改）",
            region.username, region.password
        );
    }
}

async fn county_of(db: &Db) -> Result<String, AppError> {
    match emis_storage::registry::default_county(db).await {
        Ok(code) => Ok(code),
        Err(emis_storage::StorageError::NoCounty(_)) => {
            emis_storage::registry::ensure_county(db, &emis_domain::divisions::XUPU).await?;
            Ok(emis_domain::divisions::XUPU.code.to_string())
        }
        Err(e) => Err(e.into()),
    }
}

async fn run(cli: Cli) -> Result<ExitCode, AppError> {
    // Names its own two databases: `--db` is not opened (nor created).
    if let Command::Migrate { from, to } = &cli.command {
        return migrate(from, to).await;
    }
    let db = Db::open(&cli.db).await?;
    let actor = Actor::cli();
    match cli.command {
        Command::Init { county } => {
            let info = emis_domain::divisions::county(&county).ok_or_else(|| {
                AppError::Usage(format!(
                    "未知的县级区划代码 {county}（已知：431224 溆浦县）"
                ))
            })?;
            let created = emis_storage::registry::ensure_county(&db, info).await?;
            println!(
                "{}：{}（{}个乡镇）",
                if created { "已创建" } else { "已存在" },
                info.full_name,
                info.townships.len()
            );
        }
        Command::Demo {
            province: Some(n), ..
        } => {
            let started = std::time::Instant::now();
            for index in 0..n as usize {
                let county = emis_app::demo::province::load_county(&db, index, &actor).await?;
                if county.loaded {
                    println!(
                        "{} {}：{}条学生学期记录，{}人户籍人口，{}笔资助发放，{}条安全隐患（累计用时{:.0}秒）",
                        county.code,
                        county.name,
                        county.student_rows,
                        county.population,
                        county.payments,
                        county.hazards,
                        started.elapsed().as_secs_f64()
                    );
                } else {
                    println!("{} {}：已载入，跳过", county.code, county.name);
                }
            }
            db.analyze().await?;
            println!(
                "模拟县已载入：{n}个（用时{:.0}秒）",
                started.elapsed().as_secs_f64()
            );
        }
        Command::Demo { seed, .. } => {
            let started = std::time::Instant::now();
            let summary = emis_app::demo::load_demo(&db, seed, &actor, &Bar::new()).await?;
            println!(
                "演示县已载入：{}所学校，{}条学生学期记录，{}名教职工，{}件控辍保学案件，{}份送教上门方案（用时{:.1}秒）",
                summary.schools,
                summary.student_rows,
                summary.staff,
                summary.cases,
                summary.home_teaching_plans,
                started.elapsed().as_secs_f64()
            );
            print_demo_accounts(&summary);
        }
        Command::Serve {
            listen,
            demo,
            upload_limit_mb,
        } => {
            let county = county_of(&db).await?;
            if demo && emis_storage::registry::count(&db, "students", &county).await? == 0 {
                let summary = emis_app::demo::load_demo(&db, 2021, &actor, &Bar::new()).await?;
                print_demo_accounts(&summary);
            }
            // Uploads never confirmed before a restart are not kept.
            emis_app::uploads::Staging::of(&db).sweep(std::time::Duration::ZERO);
            // A mistyped EMIS_TODAY stops the start, before anything says it started.
            let clock = emis_app::Clock::from_env()?;
            println!("县域教育管理信息系统 已启动：http://{listen}/");
            let mut state = emis_web::AppState::new(db.clone(), county);
            state.upload_limit = (upload_limit_mb as usize) << 20;
            state.clock = clock;
            emis_web::serve(state, &listen)
                .await
                .map_err(|e| AppError::Usage(format!("无法在 {listen} 上监听：{e}")))?;
        }
        Command::User {
            command:
                UserCommand::Add {
                    name,
                    role,
                    org,
                    class,
                    office,
                },
        } => {
            let role = Role::parse(&role).ok_or_else(|| {
                AppError::Usage(format!("未知角色“{role}”，可选：{}", Role::choices()))
            })?;
            // The command line is the server's operator: a region account is created at the
            // region's own level, whichever counties the database holds.
            let county = if role == Role::Region {
                org.clone()
            } else {
                county_of(&db).await?
            };
            let account = emis_app::accounts::add_user(
                &db,
                &county,
                &name,
                role,
                &org,
                class.as_deref(),
                office.as_deref(),
                &actor,
            )
            .await?;
            if office.is_none() && role == Role::Officer {
                println!(
                    "提示：股室账号未指定 --office，在 系统管理 › 账号 设置股室前不能起草年度工作总结的章节"
                );
            }
            if class.is_none() && role == Role::ClassTeacher {
                println!(
                    "提示：班主任账号未指定 --class，在 系统管理 › 账号 绑定班级前看不到任何学生"
                );
            }
            println!(
                "已创建账号 {}（{}）　初始密码：{}（只显示这一次，首次登录须修改）",
                account.username,
                role.label(),
                account.password
            );
        }
        Command::Import(args) if args.kind == "population" || args.kind == "户籍适龄人口" => {
            return import_population(&db, args, &actor).await;
        }
        Command::Import(args) if args.kind == "poverty" || args.kind == "脱贫户" => {
            let county = county_of(&db).await?;
            let report =
                emis_app::dropout::import_poverty_file(&db, &county, &args.file, &actor).await?;
            for problem in &report.problems {
                println!("{problem}");
            }
            println!(
                "脱贫户名单：共{}行，有效{}行，新增{}，更新{}，未变{}",
                report.rows, report.valid_rows, report.inserted, report.updated, report.unchanged
            );
            if !report.problems.is_empty() {
                println!(
                    "导入被拒绝：共{}处问题，数据库未作任何改动。",
                    report.problems.len()
                );
                db.close().await;
                return Ok(ExitCode::from(1));
            }
            if report.committed {
                println!("下次导入户籍适龄人口名册时，疑似辍学和在籍不在校儿童将与此名单比对。");
            }
        }
        Command::Export(args)
            if args.kind == "population-ledger" || args.kind == "dropout-ledger" =>
        {
            let county = county_of(&db).await?;
            let ledger = emis_storage::dropout::Ledger::parse(&args.ledger).ok_or_else(|| {
                AppError::Usage(format!(
                    "未知的台账“{}”，可选：suspected、school-age、dropout",
                    args.ledger
                ))
            })?;
            let scope = emis_domain::access::Scope::County { county };
            let rows = emis_app::dropout::export_ledger(
                &db,
                &scope,
                &emis_storage::dropout::LedgerQuery::of(ledger),
                &args.output,
                args.unmasked,
                &actor,
            )
            .await?;
            println!(
                "已导出{}台账{}行到 {}{}",
                ledger.label(),
                rows,
                args.output.display(),
                if args.unmasked {
                    "（完整证件号和电话，已记入审计日志）"
                } else {
                    ""
                }
            );
        }
        Command::Import(args)
            if matches!(args.kind.as_str(), "zones" | "distances" | "applicants") =>
        {
            let county = county_of(&db).await?;
            let (spec, label) = match args.kind.as_str() {
                "zones" => (enrollment::ZONE_COLUMNS, "学区"),
                "distances" => (enrollment::DISTANCE_COLUMNS, "距离表"),
                _ => (enrollment::APPLICANT_COLUMNS, "报名名单"),
            };
            let table = emis_io::read_table(&args.file, spec)?;
            let account = crate::forms::county_account(&county, &actor);
            let year = args.year.unwrap_or(2021);
            let report = match args.kind.as_str() {
                "zones" => enrollment::import_zones(&db, &account, year, &table, "cli").await?,
                "distances" => enrollment::import_distances(&db, &account, &table, "cli").await?,
                _ => {
                    let grade = args
                        .grade
                        .as_deref()
                        .and_then(enrollment::parse_entry_grade)
                        .ok_or_else(|| {
                            AppError::Usage("报名名单须用 --grade 指定 一年级 或 七年级".into())
                        })?;
                    enrollment::import_applicants(&db, &account, year, grade, &table, "cli").await?
                }
            };
            for problem in &report.problems {
                println!("{problem}");
            }
            for warning in &report.warnings {
                println!("warning: {warning}");
            }
            if !report.committed {
                println!(
                    "{label}导入被拒绝：共{}行，{}处问题，数据库未作任何改动。",
                    report.rows,
                    report.problems.len()
                );
                return Ok(ExitCode::from(1));
            }
            println!("{label}：共{}行，写入{}条", report.rows, report.written);
        }
        Command::Import(args) => {
            let kind = ImportKind::parse(&args.kind).ok_or_else(|| {
                AppError::Usage(format!(
                    "未知的导入类型“{}”，可选：schools、students、staff、population、poverty、zones、distances、applicants、aid、hardship、trainings、awards、funded-normal、studios、institutions、after-school、party",
                    args.kind
                ))
            })?;
            if args.errors.is_some() && !args.skip_invalid {
                return Err(AppError::Usage(
                    "--errors 需与 --skip-invalid 一起使用".into(),
                ));
            }
            let options = ImportOptions {
                term: parse_term(args.term.as_deref())?,
                skip_invalid: args.skip_invalid,
                errors_out: args.errors,
                dry_run: args.dry_run,
                scope: None,
                clock: emis_app::Clock::from_env()?,
            };
            let county = county_of(&db).await?;
            let report = {
                let bar = Bar::new();
                emis_app::imports::import_file(
                    &db, &county, kind, &args.file, &options, &actor, &bar,
                )
                .await?
            };
            for note in &report.notes {
                println!("{note}");
            }
            for problem in &report.problems {
                println!("{problem}");
            }
            for warning in &report.warnings {
                println!("warning: {warning}");
            }
            println!("{}", report.summary(kind));
            if report.refused() && !args.skip_invalid {
                println!(
                    "导入被拒绝：共{}处问题，数据库未作任何改动。",
                    report.problems.len()
                );
                return Ok(ExitCode::from(1));
            }
            if options.dry_run {
                println!("试运行（--dry-run）：未写入数据库。");
                return Ok(ExitCode::from(if report.problems.is_empty() {
                    0
                } else {
                    1
                }));
            }
            if !report.problems.is_empty() {
                if let Some(out) = &options.errors_out {
                    println!(
                        "被拒绝的{}行已写入 {}",
                        report.rows - report.valid_rows,
                        out.display()
                    );
                }
            }
        }
        Command::Export(args) => {
            let kind = ImportKind::parse(&args.kind).ok_or_else(|| {
                AppError::Usage(format!(
                    "未知的导出类型“{}”，可选：schools、students、staff、aid、hardship、trainings、awards、funded-normal、studios",
                    args.kind
                ))
            })?;
            let national = match args.layout.as_deref() {
                None | Some("ours") => false,
                Some("national") if kind == ImportKind::Students => true,
                Some("national") => {
                    return Err(AppError::Usage(
                        "--layout national 只适用于 students（全国学籍系统模板）".into(),
                    ))
                }
                Some(other) => {
                    return Err(AppError::Usage(format!(
                        "未知的 --layout“{other}”，可选：national"
                    )))
                }
            };
            let county = county_of(&db).await?;
            let options = emis_app::exports::ExportOptions {
                term: parse_term(args.term.as_deref())?,
                unmasked: args.unmasked,
                school: args.school,
                national,
            };
            let rows =
                emis_app::exports::export(&db, &county, kind, &args.output, &options, &actor)
                    .await?;
            println!(
                "已导出{}行到 {}{}",
                rows,
                args.output.display(),
                if args.unmasked {
                    "（完整证件号，已记入审计日志）"
                } else {
                    ""
                }
            );
        }
        Command::Report {
            command:
                ReportCommand::Annual {
                    year,
                    format,
                    output,
                },
        } => {
            let format = ReportFormat::parse(&format).ok_or_else(|| {
                AppError::Usage(format!(
                    "未知的报告格式“{format}”，可选：json、md、html、docx"
                ))
            })?;
            if format.binary() && output.is_none() {
                return Err(AppError::Usage(
                    "docx 是二进制文件，请用 -o 指定输出文件".to_string(),
                ));
            }
            let county = county_of(&db).await?;
            let today = emis_app::Clock::from_env()?.today();
            let bytes = emis_app::report::annual_report(&db, &county, year, format, today).await?;
            match output {
                Some(path) => std::fs::write(&path, bytes)
                    .map_err(|e| AppError::Usage(format!("无法写入 {}：{e}", path.display())))?,
                None => {
                    use std::io::Write;
                    // A closed pipe (`| head`) is not an error worth a panic.
                    let mut out = std::io::stdout();
                    let _ = out.write_all(&bytes);
                    let _ = out.write_all(b"\n");
                }
            }
        }
        Command::Safety {
            command:
                SafetyCommand::Ledger {
                    year,
                    output,
                    school,
                },
        } => {
            let county = county_of(&db).await?;
            let scope = emis_domain::access::Scope::County { county };
            let query = emis_storage::safety::HazardQuery {
                school,
                from: Some(format!("{year}-01-01")),
                to: Some(format!("{year}-12-31")),
                ..Default::default()
            };
            let rows = emis_app::safety::write_ledger_in(&db, &scope, &query, &output).await?;
            println!("已导出{}条隐患到 {}", rows, output.display());
        }
        Command::Forms { command } => {
            let county = county_of(&db).await?;
            let code = crate::forms::run(&db, &county, command, &actor).await?;
            db.close().await;
            return Ok(code);
        }
        Command::Migrate { .. } => unreachable!("handled before the database is opened"),
        Command::Backup { output } => {
            let target = output.to_string_lossy().to_string();
            db.backup_sqlite(&target).await?;
            println!("已备份到 {target}");
        }
    }
    db.close().await;
    Ok(ExitCode::SUCCESS)
}
