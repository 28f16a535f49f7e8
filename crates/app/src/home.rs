//! 首页: what an account has to act on (待办), in its scope, as of today. Each item is
//! offered only to a role that may act on it; the counts are the scope's.

use crate::auth::Account;
use crate::Result;
use chrono::NaiveDate;
use emis_domain::access::Permission;
use serde::Serialize;

/// One line of 待办: what to do, how many, and the page where it is done.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Todo {
    /// The area, as the menu names it (资助, 控辍保学, 安全, 报表).
    pub area: &'static str,
    pub text: String,
    pub count: i64,
    pub href: String,
    /// Past a deadline or sent back: shown first and in red.
    pub urgent: bool,
}

/// The account's work: its 待办, and the figures the home's charts draw.
#[derive(Clone, Debug, Default, Serialize, schemars::JsonSchema)]
pub struct Work {
    pub todos: Vec<Todo>,
    /// 一人一案 by township in the scope (for roles that work cases).
    pub cases: Vec<crate::dropout::TownshipLine>,
    /// 资助申报 in the scope by status label, in workflow order (for roles that propose or
    /// review aid).
    pub proposals: Vec<(String, i64)>,
}

/// The account's work as of `today`. `hazards` are the scope's hazard counts, which the home
/// has already read for its safety card ([`crate::safety::home_card`]): not counted twice.
pub async fn work(
    db: &emis_storage::Db,
    account: &Account,
    today: NaiveDate,
    hazards: &emis_storage::safety::HazardCounts,
) -> Result<Work> {
    let role = account.role;
    let scope = &account.scope;
    let mut work = Work::default();
    let mut todo = |area, text: String, count: i64, href: &str, urgent| {
        if count > 0 {
            work.todos.push(Todo {
                area,
                text,
                count,
                href: href.to_string(),
                urgent,
            });
        }
    };

    if role.permits(Permission::ProposeAid) || role.permits(Permission::ReviewAid) {
        let proposals = crate::aid::proposals(db, scope, None).await?;
        let level = role.org_level();
        let mine = proposals
            .iter()
            .filter(|p| p.status.awaits() == Some(level))
            .count() as i64;
        let (text, urgent) = match level {
            // A region holds neither aid permission: it never gets here.
            emis_domain::access::OrgLevel::County | emis_domain::access::OrgLevel::Region => {
                ("资助申报待审批", false)
            }
            emis_domain::access::OrgLevel::Township => ("资助申报待审核", false),
            emis_domain::access::OrgLevel::School => ("资助申报被退回，待修改后重新申报", true),
        };
        todo(
            "资助",
            format!("{text} {mine} 份"),
            mine,
            "/aid/proposals",
            urgent,
        );
        work.proposals = emis_domain::aid::ProposalStatus::ALL
            .iter()
            .map(|s| {
                let n = proposals.iter().filter(|p| p.status == *s).count() as i64;
                (s.label().to_string(), n)
            })
            .collect();
    }

    if role.permits(Permission::WorkDropoutCases) {
        let (lines, total) = crate::dropout::case_lines(db, scope, today).await?;
        todo(
            "控辍保学",
            format!("一人一案逾期未办结 {} 件", total.overdue),
            total.overdue,
            "/dropout/cases?overdue=1",
            true,
        );
        let in_time = total.open - total.overdue;
        todo(
            "控辍保学",
            format!("一人一案在办 {in_time} 件"),
            in_time,
            "/dropout/cases",
            false,
        );
        work.cases = lines;
    }

    if role.permits(Permission::RecordHazards) || role.permits(Permission::ReviewHazards) {
        let counts = hazards;
        todo(
            "安全",
            format!("隐患逾期未整改 {} 处", counts.overdue),
            counts.overdue,
            "/safety/hazards?overdue=1",
            true,
        );
        let in_time = counts.open - counts.overdue;
        todo(
            "安全",
            format!("隐患整改中 {in_time} 处"),
            in_time,
            "/safety/hazards",
            false,
        );
    }

    if role.permits(Permission::FillForms) {
        let (open, overdue) = crate::forms::tasks::todo(db, account, today).await?;
        todo(
            "报表",
            format!("报表逾期未报 {overdue} 项"),
            overdue as i64,
            "/forms/tasks",
            true,
        );
        let in_time = (open - overdue) as i64;
        todo(
            "报表",
            format!("报表待填报 {in_time} 项"),
            in_time,
            "/forms/tasks",
            false,
        );
    }
    if role.permits(Permission::KeepForms) {
        let sent = crate::forms::assignments::list(db, account, today).await?;
        let missing: i64 = sent.iter().map(|(_, c)| c.overdue as i64).sum();
        todo(
            "报表",
            format!("下发报表逾期未报 {missing} 家"),
            missing,
            "/forms",
            true,
        );
    }
    // Urgent first; the areas keep the order above.
    work.todos.sort_by_key(|t| !t.urgent);
    Ok(work)
}

/// How far back the home looks for the account's imports that skipped rows.
pub const IMPORT_DAYS: i64 = 7;

/// 待办 of the account itself (not shared with its scope): its imports of the last
/// [`IMPORT_DAYS`] days that skipped rows with problems, which it should correct and import
/// again.
pub async fn own_todos(
    db: &emis_storage::Db,
    account: &Account,
    today: NaiveDate,
) -> Result<Vec<Todo>> {
    let skipped: Vec<_> = crate::imports::recent(db, account, today, IMPORT_DAYS)
        .await?
        .into_iter()
        .filter(|i| i.refused_rows > 0)
        .collect();
    if skipped.is_empty() {
        return Ok(Vec::new());
    }
    let rows: i64 = skipped.iter().map(|i| i.refused_rows).sum();
    Ok(vec![Todo {
        area: "导入",
        text: format!(
            "近{IMPORT_DAYS}天有 {} 次导入跳过了有问题的行（共 {rows} 行），请改正后重新导入",
            skipped.len()
        ),
        count: rows,
        href: "/import#recent".into(),
        urgent: true,
    }])
}
