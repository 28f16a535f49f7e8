//! 数据采集 (forms the bureau sends to schools): a form's definition and its checks, the
//! periods it is asked for, a respondent's answers read against the definition, the task's
//! steps and completeness. Pure: prefilled values and "today" are passed in.
//!
//! Glossary (code name → 中文): form → 报表, definition → 报表定义, version → 版本, field →
//! 填报项, prefill → 预填 (from an indicator of the respondent's own org unit), locked → 锁定,
//! check → 校验规则, period → 填报周期, assignment → 下发, respondent → 填报单位, task → 填报任务,
//! draft → 草稿, submit → 提交, send back → 退回, due date → 截止日期, overdue → 逾期,
//! completeness → 完成率.

pub mod period;
pub mod response;
pub mod rule;

#[cfg(test)]
mod tests;

pub use period::{Period, PeriodKind};
pub use response::{check_answers, Answer, Answers, Refusal};
pub use rule::Rule;

use crate::registry::labeled_enum;
use serde::{Deserialize, Serialize};

/// Who fills a form: every school, or every township office (乡镇中心校).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RespondentKind {
    School,
    Township,
}

impl RespondentKind {
    pub fn label(self) -> &'static str {
        match self {
            RespondentKind::School => "学校",
            RespondentKind::Township => "乡镇中心校",
        }
    }
}

/// The type of a field's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    /// 整数.
    Integer,
    /// 小数, at most two places (kept in hundredths so sums are exact).
    Decimal,
    Text,
    /// 日期 (2021-09-01).
    Date,
    /// 选项: one of `choices`.
    Choice,
    /// 是 / 否.
    Bool,
}

impl FieldType {
    pub fn label(self) -> &'static str {
        match self {
            FieldType::Integer => "整数",
            FieldType::Decimal => "小数",
            FieldType::Text => "文字",
            FieldType::Date => "日期",
            FieldType::Choice => "选项",
            FieldType::Bool => "是/否",
        }
    }

    /// Whether values add up (bounds, rules and `form.CODE.FIELD` sums apply).
    pub fn is_numeric(self) -> bool {
        matches!(self, FieldType::Integer | FieldType::Decimal)
    }
}

/// One field of a form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Field {
    pub code: String,
    pub label: String,
    #[serde(rename = "type")]
    pub kind: FieldType,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    /// 单位 shown beside the field (人, 个, 万元).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<String>,
    /// An indicator code computed for the respondent's own org unit ([`PREFILLS`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefill: Option<String>,
    /// A locked prefilled value cannot be changed by the respondent.
    #[serde(default)]
    pub locked: bool,
}

/// A cross-field check: a comparison over field codes, and the message shown when it fails.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CrossCheck {
    pub rule: String,
    pub message: String,
}

/// A form as the bureau defines it (CONTRACTS.md, "Forms").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Definition {
    pub code: String,
    pub title: String,
    pub period: PeriodKind,
    pub respondent: RespondentKind,
    pub fields: Vec<Field>,
    #[serde(default)]
    pub checks: Vec<CrossCheck>,
}

impl Definition {
    pub fn field(&self, code: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.code == code)
    }
}

labeled_enum!(
    /// 填报状态 of a respondent's task.
    TaskStatus {
        Pending => "待填报",
        Draft => "草稿",
        Submitted => "已提交",
        SentBack => "退回",
    }
);

/// A step of a task.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    SaveDraft,
    Submit,
    SendBack,
}

/// The task's state machine: a draft may be saved until it is submitted; a submitted
/// response is sent back (with a comment) or stays; a sent-back one is edited and submitted
/// again.
pub fn step(from: TaskStatus, step: Step) -> Result<TaskStatus, String> {
    use TaskStatus::*;
    match (from, step) {
        (Pending | Draft | SentBack, Step::SaveDraft) => {
            Ok(if from == SentBack { SentBack } else { Draft })
        }
        (Pending | Draft | SentBack, Step::Submit) => Ok(Submitted),
        (Submitted, Step::SendBack) => Ok(SentBack),
        (Submitted, _) => Err("已提交，等待审核；如需修改请联系下发单位退回".into()),
        (_, Step::SendBack) => Err(format!("当前为“{}”，只有已提交的才能退回", from.label())),
    }
}

/// Whether a task not submitted is past its due date as of `today`.
pub fn is_overdue(
    status: TaskStatus,
    due: Option<chrono::NaiveDate>,
    today: chrono::NaiveDate,
) -> bool {
    status != TaskStatus::Submitted && due.is_some_and(|d| today > d)
}

/// Completeness of an assignment: tasks, submitted, overdue, and the share submitted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Completeness {
    pub assigned: usize,
    pub submitted: usize,
    pub overdue: usize,
    /// Submitted / assigned (None when nothing was assigned).
    pub rate: Option<f64>,
}

impl Completeness {
    pub fn of(
        tasks: impl IntoIterator<Item = (TaskStatus, Option<chrono::NaiveDate>)>,
        today: chrono::NaiveDate,
    ) -> Completeness {
        let mut c = Completeness::default();
        for (status, due) in tasks {
            c.assigned += 1;
            if status == TaskStatus::Submitted {
                c.submitted += 1;
            }
            if is_overdue(status, due, today) {
                c.overdue += 1;
            }
        }
        c.rate = (c.assigned > 0).then(|| c.submitted as f64 / c.assigned as f64);
        c
    }
}

/// The indicators a field may be prefilled from: those the system computes for a single
/// school or township (the respondent's own org unit).
pub const PREFILLS: &[(&str, &str)] = &[
    ("students.enrolled", "在校生数（本单位最近学期在籍）"),
    ("staff.total", "教职工数（本单位）"),
    ("staff.teachers", "专任教师数（本单位）"),
    ("classes.total", "班级数（本单位最近学期）"),
];

/// Bounds on a definition, so a stored one stays a form a person can fill.
pub const MAX_FIELDS: usize = 80;
pub const MAX_CHECKS: usize = 40;
pub const MAX_CHOICES: usize = 50;
pub const MAX_CODE: usize = 40;
/// A text answer, at most.
pub const MAX_TEXT: usize = 500;

fn valid_code(code: &str) -> bool {
    let mut chars = code.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && code.len() <= MAX_CODE
}

/// Reads and checks a definition (JSON as in CONTRACTS.md). Every refusal says, in Chinese,
/// what is wrong and where.
pub fn parse_definition(json: &str) -> Result<Definition, String> {
    let def: Definition =
        serde_json::from_str(json).map_err(|e| format!("报表定义不是有效的 JSON：{e}"))?;
    check_definition(&def)?;
    Ok(def)
}

/// Checks a definition built in the browser or read from a file.
pub fn check_definition(def: &Definition) -> Result<(), String> {
    if !valid_code(&def.code) {
        return Err(format!(
            "报表代码“{}”应以小写字母开头，只含小写字母、数字和下划线，不超过{MAX_CODE}个字符",
            def.code
        ));
    }
    if def.title.trim().is_empty() || def.title.chars().count() > 100 {
        return Err("报表名称不能为空，不超过100个字".into());
    }
    if def.fields.is_empty() || def.fields.len() > MAX_FIELDS {
        return Err(format!("报表应有1至{MAX_FIELDS}个填报项"));
    }
    if def.checks.len() > MAX_CHECKS {
        return Err(format!("校验规则最多{MAX_CHECKS}条"));
    }
    let mut seen = std::collections::HashSet::new();
    for (n, f) in def.fields.iter().enumerate() {
        let at = format!("第{}个填报项（{}）", n + 1, f.code);
        if !valid_code(&f.code) {
            return Err(format!(
                "{at}：代码应以小写字母开头，只含小写字母、数字和下划线"
            ));
        }
        if !seen.insert(f.code.as_str()) {
            return Err(format!("{at}：代码重复"));
        }
        if f.label.trim().is_empty() || f.label.chars().count() > 60 {
            return Err(format!("{at}：名称不能为空，不超过60个字"));
        }
        if let (Some(lo), Some(hi)) = (f.min, f.max) {
            if lo > hi {
                return Err(format!("{at}：最小值{lo}大于最大值{hi}"));
            }
        }
        if (f.min.is_some() || f.max.is_some()) && !f.kind.is_numeric() {
            return Err(format!("{at}：只有整数和小数可以设置上下限"));
        }
        match f.kind {
            FieldType::Choice if f.choices.is_empty() || f.choices.len() > MAX_CHOICES => {
                return Err(format!("{at}：选项类应列出1至{MAX_CHOICES}个选项"));
            }
            FieldType::Choice => {}
            _ if !f.choices.is_empty() => {
                return Err(format!("{at}：只有选项类可以列出选项"));
            }
            _ => {}
        }
        match &f.prefill {
            Some(code) if !PREFILLS.iter().any(|(c, _)| c == code) => {
                let known: Vec<&str> = PREFILLS.iter().map(|(c, _)| *c).collect();
                return Err(format!(
                    "{at}：预填指标“{code}”不能按填报单位计算；可用：{}",
                    known.join("、")
                ));
            }
            Some(_) if !f.kind.is_numeric() => {
                return Err(format!("{at}：预填指标只能用于整数或小数"));
            }
            None if f.locked => {
                return Err(format!("{at}：只有预填的项才能锁定"));
            }
            _ => {}
        }
    }
    for (n, c) in def.checks.iter().enumerate() {
        let at = format!("第{}条校验规则", n + 1);
        let rule = Rule::parse(&c.rule).map_err(|e| format!("{at}“{}”：{e}", c.rule))?;
        for code in rule.fields() {
            match def.field(code) {
                None => return Err(format!("{at}“{}”：没有代码为“{code}”的填报项", c.rule)),
                Some(f) if !f.kind.is_numeric() => {
                    return Err(format!("{at}“{}”：“{code}”不是数值项，不能比较", c.rule))
                }
                Some(_) => {}
            }
        }
        if c.message.trim().is_empty() {
            return Err(format!("{at}：请写明不通过时的提示"));
        }
    }
    Ok(())
}
