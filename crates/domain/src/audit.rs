//! 审计日志 as a person reads it: the change an entry records, field by field, from the
//! JSON the entry keeps before and after it (a record created has no before, one deleted
//! no after).
//!
//! Glossary: change → 变更, field → 字段, before / after → 变更前 / 变更后.

use serde_json::Value;

/// The name a person reads for what an audit entry changed (its entity, or an import's
/// batch); an entity not named here is shown as it is.
pub fn entity_label(entity: &str) -> &str {
    match entity {
        "student" | "students" => "学生",
        "school" | "schools" => "学校",
        "org_unit" => "机构",
        "county" => "县",
        "user" => "账号",
        "staff" => "教职工",
        "transfer" => "转学",
        "aid" | "aid_payments" => "资助发放",
        "aid_evidence" => "家庭经济困难认定",
        "aid_policies" => "资助政策",
        "aid_proposal" => "资助申报",
        "aid_batch" => "资助发放批次",
        "poverty_households" => "脱贫户名单",
        "population" => "户籍人口",
        "dropout" => "控辍保学",
        "case" | "cases" => "一人一案",
        "home_teaching_plan" => "送教上门",
        "enrollment" => "招生",
        "applicants" => "招生报名名单",
        "intake_plan" => "招生计划",
        "allocation_run" => "入学分配",
        "zone" | "zones" => "学区划分",
        "distances" => "学区距离表",
        "large_class_ledger" => "大班额台账",
        "safety" => "安全",
        "safety_hazard" | "hazards" => "安全隐患",
        "safety_inspection" => "安全检查",
        "water_body" => "水域",
        "patrols" | "patrol_log" => "巡查记录",
        "patrol_roster" | "patroller" => "巡查人员",
        "letters" => "致家长的一封信",
        "double_reduction" => "双减",
        "institutions" | "institution" => "校外培训机构",
        "institution_case" => "违规培训查处",
        "after_school" => "课后服务",
        "teachers" | "teacher_settings" => "教师队伍",
        "training_participants" => "教师培训学员",
        "funded_trainees" => "公费定向师范生",
        "studios" | "studio_activity" => "名师工作室",
        "award" | "awards" => "竞赛获奖",
        "award_fund" => "奖励资金",
        "conduct_campaign" | "conduct_case" => "师德师风",
        "forms" | "form_assignment" => "报表下发",
        "form_task" => "报表填报",
        "party" | "party_person" | "party_stage" => "党员发展",
        "party_branch" => "党支部",
        "party_meeting" => "三会一课",
        "honours" | "honour" => "荣誉",
        "projects" | "project" => "建设项目",
        "project_investment" => "项目投资",
        "vocational_programme" => "职教专业与合作",
        "vocational_intake" => "职教招生",
        "supervision" => "教育督导",
        "assessment_scheme" => "绩效评估方案",
        "assessment_score" | "assessment_results" => "绩效评估得分",
        "document" => "文件",
        "incident" => "安全事件",
        "registers" => "登记簿",
        "summary" | "summary_section" => "年度工作总结",
        other => other,
    }
}

/// One field that changed: its path (`address.village` for nested objects, `items[2]` for
/// lists), and its value before and after as text (empty when absent).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// How many changes an entry shows; the rest are summed up as 另有 N 项.
pub const MAX_CHANGES: usize = 40;

/// The changed fields between `before` and `after` (JSON texts), by field name, at most
/// [`MAX_CHANGES`], and how many more there were. Text that is not JSON is compared whole.
pub fn changes(before: Option<&str>, after: Option<&str>) -> (Vec<Change>, usize) {
    let read = |t: Option<&str>| match t {
        None => Value::Null,
        Some(t) => serde_json::from_str(t).unwrap_or_else(|_| Value::String(t.to_string())),
    };
    let (mut old, mut new) = (Vec::new(), Vec::new());
    flatten("", &read(before), &mut old);
    flatten("", &read(after), &mut new);
    let mut fields: Vec<&str> = old
        .iter()
        .chain(new.iter())
        .map(|(f, _)| f.as_str())
        .collect();
    // Keep first-seen order, each field once.
    let mut seen = std::collections::HashSet::new();
    fields.retain(|f| seen.insert(*f));
    let value = |list: &[(String, String)], f: &str| {
        list.iter()
            .find(|(k, _)| k == f)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let all: Vec<Change> = fields
        .into_iter()
        .map(|f| Change {
            field: if f.is_empty() {
                "值".into()
            } else {
                f.to_string()
            },
            before: value(&old, f),
            after: value(&new, f),
        })
        .filter(|c| c.before != c.after)
        .collect();
    let more = all.len().saturating_sub(MAX_CHANGES);
    (all.into_iter().take(MAX_CHANGES).collect(), more)
}

fn flatten(path: &str, value: &Value, out: &mut Vec<(String, String)>) {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        Value::Null => {}
        Value::Object(map) => {
            for (k, v) in map {
                flatten(&join(k), v, out);
            }
        }
        // A list of plain values reads as one field; a list of records field by field.
        Value::Array(items) if items.iter().all(|v| !v.is_object() && !v.is_array()) => {
            let text: Vec<String> = items.iter().map(plain).collect();
            out.push((path.to_string(), text.join("、")));
        }
        Value::Array(items) => {
            for (n, v) in items.iter().enumerate() {
                flatten(&format!("{path}[{}]", n + 1), v, out);
            }
        }
        other => out.push((path.to_string(), plain(other))),
    }
}

fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Bool(true) => "是".into(),
        Value::Bool(false) => "否".into(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_read_in_chinese() {
        assert_eq!(entity_label("aid_payments"), "资助发放");
        assert_eq!(entity_label("population"), "户籍人口");
        assert_eq!(entity_label("safety_hazard"), "安全隐患");
        assert_eq!(entity_label("新批次"), "新批次");
    }

    fn change(field: &str, before: &str, after: &str) -> Change {
        Change {
            field: field.into(),
            before: before.into(),
            after: after.into(),
        }
    }

    #[test]
    fn an_update_shows_only_what_changed() {
        let before =
            r#"{"status":"待审核","amount":500,"school":{"code":"2143000001","boarding":false}}"#;
        let after =
            r#"{"status":"已审批","amount":500,"school":{"code":"2143000001","boarding":true}}"#;
        assert_eq!(
            changes(Some(before), Some(after)),
            (
                vec![
                    change("school.boarding", "否", "是"),
                    change("status", "待审核", "已审批"),
                ],
                0
            )
        );
    }

    #[test]
    fn a_creation_lists_every_field_and_lists_read_as_one() {
        let after = r#"{"title":"大排查","checklist":["消防设施","用电线路"],"rows":[{"n":1}]}"#;
        assert_eq!(
            changes(None, Some(after)).0,
            vec![
                change("checklist", "", "消防设施、用电线路"),
                change("rows[1].n", "", "1"),
                change("title", "", "大排查"),
            ]
        );
    }

    #[test]
    fn text_that_is_not_json_is_compared_whole_and_long_changes_are_capped() {
        assert_eq!(
            changes(Some("旧"), Some("新")).0,
            vec![change("值", "旧", "新")]
        );
        let many: serde_json::Map<String, Value> = (0..MAX_CHANGES + 5)
            .map(|n| (format!("f{n:03}"), Value::from(n)))
            .collect();
        let after = Value::Object(many).to_string();
        let (shown, more) = changes(None, Some(&after));
        assert_eq!((shown.len(), more), (MAX_CHANGES, 5));
        assert_eq!(changes(Some(&after), Some(&after)), (Vec::new(), 0));
    }
}
