//! `emis forms …`: 数据采集 from the command line (CONTRACTS.md, "Forms").

use clap::Subcommand;
use emis_app::auth::Account;
use emis_app::forms::{assignments, definitions, sheets};
use emis_app::{Actor, AppError, Db};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub(crate) enum FormsCommand {
    /// 新增报表或其新版本（JSON 定义文件）
    Define { file: PathBuf },
    /// 下发报表：向全部学校或乡镇中心校，按周期（2021、2021-autumn、2021-09）
    Assign {
        code: String,
        #[arg(long)]
        period: String,
        /// 截止日期，如 2021-10-15
        #[arg(long)]
        due: Option<String>,
        /// 只发给这些学校或乡镇（代码，逗号分隔）；不填则发给全部
        #[arg(long)]
        to: Option<String>,
    },
    /// 导出待填表格（每个填报单位一行，已知数据已填好，锁定列已标明）
    Template {
        code: String,
        #[arg(long)]
        period: String,
        /// 只导出一所学校（或一个乡镇）
        #[arg(long)]
        school: Option<String>,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// 导入填好的表格（每行即该单位的提交）
    Import {
        code: String,
        #[arg(long)]
        period: String,
        file: PathBuf,
        /// 跳过有问题的行，导入其余各行
        #[arg(long)]
        skip_invalid: bool,
    },
    /// 填报完成情况
    Status {
        code: String,
        #[arg(long)]
        period: String,
        #[arg(long, default_value = "text")]
        format: String,
    },
}

/// The county's administrator as the command line acts.
pub(crate) fn county_account(county: &str, actor: &Actor) -> Account {
    Account {
        username: actor.name.clone(),
        display_name: actor.name.clone(),
        role: emis_domain::access::Role::Admin,
        org_code: county.to_string(),
        org_name: county.to_string(),
        scope: emis_domain::access::Scope::County {
            county: county.to_string(),
        },
        must_change_password: false,
    }
}

pub(crate) async fn run(
    db: &Db,
    county: &str,
    command: FormsCommand,
    actor: &Actor,
) -> Result<ExitCode, AppError> {
    let account = county_account(county, actor);
    match command {
        FormsCommand::Define { file } => {
            let size = std::fs::metadata(&file)
                .map_err(|e| AppError::Usage(format!("无法读取 {}：{e}", file.display())))?
                .len();
            if size > definitions::MAX_DEFINITION_BYTES as u64 {
                return Err(AppError::Refused(format!(
                    "报表定义不能超过{}KB",
                    definitions::MAX_DEFINITION_BYTES / 1024
                )));
            }
            let json = std::fs::read_to_string(&file)
                .map_err(|e| AppError::Usage(format!("无法读取 {}：{e}", file.display())))?;
            let defined = definitions::define(db, &account, &json, "cli").await?;
            if defined.changed {
                println!("已保存报表 {} 第{}版", defined.code, defined.version);
            } else {
                println!("报表 {} 第{}版未改变", defined.code, defined.version);
            }
        }
        FormsCommand::Assign {
            code,
            period,
            due,
            to,
        } => {
            let form = assignments::SendForm {
                code,
                period,
                due_on: due.unwrap_or_default(),
                respondents: to.unwrap_or_default(),
            };
            let id = assignments::assign(db, &account, &form, "cli").await?;
            let today = emis_app::Clock::from_env()?.today();
            let status = assignments::status(db, &account, id, today).await?;
            println!(
                "已下发“{}”{}，填报单位{}个",
                status.assignment.title, status.assignment.period, status.overall.assigned
            );
        }
        FormsCommand::Template {
            code,
            period,
            school,
            output,
        } => {
            let n =
                sheets::write_template(db, &account, &code, &period, school.as_deref(), &output)
                    .await?;
            println!("已导出{n}行到 {}", output.display());
        }
        FormsCommand::Import {
            code,
            period,
            file,
            skip_invalid,
        } => {
            let today = emis_app::Clock::from_env()?.today();
            let report = sheets::import(
                db,
                &account,
                &code,
                &period,
                &file,
                skip_invalid,
                "cli",
                today,
            )
            .await?;
            for problem in &report.problems {
                println!("{problem}");
            }
            if report.refused() {
                println!(
                    "导入被拒绝：共{}处问题，数据库未作任何改动。",
                    report.problems.len()
                );
                return Ok(ExitCode::from(1));
            }
            println!(
                "共{}行：提交{}，未变{}，跳过{}",
                report.rows,
                report.updated,
                report.unchanged,
                report.rows - report.valid_rows
            );
        }
        FormsCommand::Status {
            code,
            period,
            format,
        } => {
            let today = emis_app::Clock::from_env()?.today();
            let c = assignments::status_of(db, &account, &code, &period, today).await?;
            if format == "json" {
                let rate = c.rate.map_or("null".to_string(), |r| {
                    format!("{}", (r * 10_000.0).round() / 10_000.0)
                });
                println!(
                    "{{\"assigned\": {}, \"submitted\": {}, \"overdue\": {}, \"rate\": {rate}}}",
                    c.assigned, c.submitted, c.overdue
                );
            } else {
                println!(
                    "应填{}个，已提交{}个，逾期{}个",
                    c.assigned, c.submitted, c.overdue
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
