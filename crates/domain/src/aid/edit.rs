//! Editing a policy: the form a county officer fills in (every field as text, amounts in
//! yuan, the conditions of eligibility as ordinary fields, or as rule data for a rule the
//! fields cannot express), read into a [`Policy`] with a Chinese reason naming the field
//! when it cannot be.

use super::{parse_yuan, yuan, Amount, Conditions, Policy, Quota, Rule, Tier};
use crate::registry::{Grade, Hardship, SchoolType, Stage, UrbanRural};
use serde::{Deserialize, Serialize};

/// A policy as the edit form and the JSON API carry it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct PolicyForm {
    pub code: String,
    pub name: String,
    /// Grade labels separated by 、 , or spaces; empty means every grade.
    pub grades: String,
    /// School type labels, the same way; empty means every type.
    pub school_types: String,
    /// `fields` (the conditions below make the rule) or `json` (the rule data in `who`);
    /// empty reads `who` when it is given, the fields otherwise.
    pub rule_mode: String,
    /// 寄宿: empty (不限), 寄宿生 or 非寄宿生.
    pub boarding: String,
    /// 困难类型 labels, the same way as grades.
    pub hardship: String,
    /// 任一困难类型: `on` when checked.
    pub any_hardship: String,
    /// 或为残疾学生: `on` when checked.
    pub disabled: String,
    /// 城乡类别 labels.
    pub settings: String,
    /// 中职年级: 1、2、3.
    pub vocational_years: String,
    /// 试点学校: 学校标识码 separated like grades.
    pub schools: String,
    /// The rule of eligibility as JSON, e.g. `{"all_of":["boarding","any_hardship"]}`.
    pub who: String,
    /// `per_term`, `per_day`, `by_stage` or `tiers`.
    pub amount_kind: String,
    /// 每学期金额（元）.
    pub per_term: String,
    pub spring_per_day: String,
    pub autumn_per_day: String,
    pub days: String,
    /// 按学段: `小学=500；初中=625`.
    pub by_stage: String,
    /// 分档, one a line: `1500 | 特困供养、孤儿` (困难类型, 残疾, 任一困难类型 or 其余; rule
    /// data is read too, e.g. `1500 | {"hardship":["Tekun","Orphan"]}`).
    pub tiers: String,
    pub quota_spring: String,
    pub quota_autumn: String,
    /// 依据文号: the document the county implements the policy under; may be empty.
    pub document: String,
}

/// Why a form was refused: the form field and a Chinese reason that names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyError {
    pub field: &'static str,
    pub reason: String,
}

fn refuse<T>(field: &'static str, reason: impl Into<String>) -> Result<T, PolicyError> {
    Err(PolicyError {
        field,
        reason: reason.into(),
    })
}

fn split_list(raw: &str) -> impl Iterator<Item = &str> {
    raw.split(|c: char| matches!(c, '、' | ',' | '，' | ';' | '；') || c.is_whitespace())
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn labels<T: Copy + PartialEq>(
    field: &'static str,
    title: &str,
    raw: &str,
    parse: impl Fn(&str) -> Option<T>,
    choices: String,
) -> Result<Vec<T>, PolicyError> {
    let mut out = Vec::new();
    for item in split_list(raw) {
        match parse(item) {
            Some(v) if !out.contains(&v) => out.push(v),
            Some(_) => {}
            None => return refuse(field, format!("{title}“{item}”无法识别，应为 {choices}")),
        }
    }
    Ok(out)
}

fn money(field: &'static str, title: &str, raw: &str) -> Result<i64, PolicyError> {
    match parse_yuan(raw) {
        Some(fen) if fen > crate::limits::MAX_FEN => refuse(
            field,
            format!("{title}不能超过{}元", crate::limits::MAX_YUAN),
        ),
        Some(fen) if fen > 0 => Ok(fen),
        _ if raw.trim().is_empty() => refuse(field, format!("{title}不能为空")),
        _ => refuse(
            field,
            format!("{title}“{raw}”无法识别，应为大于0、最多两位小数的元数，如 625 或 312.50"),
        ),
    }
}

fn rule(field: &'static str, title: &str, raw: &str) -> Result<Rule, PolicyError> {
    if raw.trim().is_empty() {
        return Ok(Rule::Everyone);
    }
    serde_json::from_str(raw.trim()).or_else(|e| {
        refuse(
            field,
            format!(
                "{title}不是有效的规则数据（{e}）；可用 \"everyone\"、\"boarding\"、\"any_hardship\"、\
                 \"disabled\"、{{\"hardship\":[\"LiftedOut\",\"Dibao\",\"Tekun\",\"Orphan\",\"Disabled\",\"Other\"]}}、\
                 {{\"school_setting\":[\"Rural\"]}}、{{\"vocational_year\":[1,2]}}、{{\"school_in\":[\"学校标识码\"]}}，\
                 以 all_of / any_of / not 组合"
            ),
        )
    })
}

/// What a tier's words mean: no word (or 其余) is everyone else.
const TIER_OTHERS: &str = "其余";

/// A tier's condition in words when it is only about the family (困难类型, 残疾), as
/// rule data otherwise.
fn tier_words(when: &Rule) -> String {
    match Conditions::of(when) {
        Some(c) if c == Conditions::default() => TIER_OTHERS.into(),
        Some(c)
            if c == (Conditions {
                hardship: c.hardship.clone(),
                any_hardship: c.any_hardship,
                disabled: c.disabled,
                ..Conditions::default()
            }) =>
        {
            let mut words: Vec<&str> = c.hardship.iter().map(|h| h.label()).collect();
            if c.any_hardship {
                words.push("任一困难类型");
            }
            if c.disabled {
                words.push("残疾");
            }
            words.join("、")
        }
        _ => serde_json::to_string(when).unwrap_or_default(),
    }
}

/// The condition of the `n`-th tier line: words, or rule data (starting with `{` or `"`).
fn tier_rule(n: usize, raw: &str) -> Result<Rule, PolicyError> {
    let raw = raw.trim();
    if raw.starts_with('{') || raw.starts_with('"') {
        return rule("tiers", &format!("分档第{n}行的规则"), raw);
    }
    let mut c = Conditions::default();
    for word in split_list(raw) {
        match word {
            TIER_OTHERS | "不限" => {}
            "残疾" => c.disabled = true,
            "任一困难类型" | "任一困难" => c.any_hardship = true,
            _ => match Hardship::parse(word).filter(|h| *h != Hardship::None) {
                Some(h) if !c.hardship.contains(&h) => c.hardship.push(h),
                Some(_) => {}
                None => {
                    return refuse(
                        "tiers",
                        format!(
                            "分档第{n}行的条件“{word}”无法识别，应为困难类型（{}）、残疾、任一困难类型或其余",
                            "脱贫家庭 / 低保家庭 / 特困供养 / 孤儿 / 残疾学生 / 其他困难"
                        ),
                    )
                }
            },
        }
    }
    Ok(c.rule())
}

fn stage_of(label: &str) -> Option<Stage> {
    [
        Stage::Preschool,
        Stage::Primary,
        Stage::Junior,
        Stage::Senior,
    ]
    .into_iter()
    .find(|s| s.label() == label || (label == "学前" && *s == Stage::Preschool))
}

fn quota(raw: &str, field: &'static str, title: &str) -> Result<Option<u32>, PolicyError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse::<u32>().map(Some).or_else(|_| {
        refuse(
            field,
            format!("{title}“{raw}”应为不小于0的整数，不限名额请留空"),
        )
    })
}

impl PolicyForm {
    /// The form filled in from a stored policy.
    pub fn of(p: &Policy) -> PolicyForm {
        let list = |items: Vec<&str>| items.join("、");
        let mut form = PolicyForm {
            code: p.code.clone(),
            name: p.name.clone(),
            grades: list(p.grades.iter().map(|g| g.label()).collect()),
            school_types: list(p.school_types.iter().map(|t| t.label()).collect()),
            who: serde_json::to_string(&p.who).unwrap_or_default(),
            rule_mode: "json".into(),
            quota_spring: p.quota.map(|q| q.spring.to_string()).unwrap_or_default(),
            quota_autumn: p.quota.map(|q| q.autumn.to_string()).unwrap_or_default(),
            document: p.document.clone().unwrap_or_default(),
            ..PolicyForm::default()
        };
        if let Some(c) = Conditions::of(&p.who) {
            form.set_conditions(&c);
        }
        match &p.amount {
            Amount::PerTerm { fen } => {
                form.amount_kind = "per_term".into();
                form.per_term = yuan(*fen);
            }
            Amount::PerDay {
                spring_fen,
                autumn_fen,
                days,
            } => {
                form.amount_kind = "per_day".into();
                form.spring_per_day = yuan(*spring_fen);
                form.autumn_per_day = yuan(*autumn_fen);
                form.days = days.to_string();
            }
            Amount::ByStage { amounts } => {
                form.amount_kind = "by_stage".into();
                form.by_stage = amounts
                    .iter()
                    .map(|(s, f)| format!("{}={}", s.label(), yuan(*f)))
                    .collect::<Vec<_>>()
                    .join("；");
            }
            Amount::Tiers { tiers } => {
                form.amount_kind = "tiers".into();
                form.tiers = tiers
                    .iter()
                    .map(|t| format!("{} | {}", yuan(t.fen), tier_words(&t.when)))
                    .collect::<Vec<_>>()
                    .join("\n");
            }
        }
        form
    }

    fn set_conditions(&mut self, c: &Conditions) {
        let list = |items: Vec<String>| items.join("、");
        self.rule_mode = "fields".into();
        self.boarding = match c.boarding {
            Some(true) => "寄宿生".into(),
            Some(false) => "非寄宿生".into(),
            None => String::new(),
        };
        self.hardship = list(c.hardship.iter().map(|h| h.label().to_string()).collect());
        self.any_hardship = if c.any_hardship {
            "on".into()
        } else {
            String::new()
        };
        self.disabled = if c.disabled {
            "on".into()
        } else {
            String::new()
        };
        self.settings = list(c.settings.iter().map(|s| s.label().to_string()).collect());
        self.vocational_years = list(c.vocational_years.iter().map(u8::to_string).collect());
        self.schools = list(c.schools.clone());
    }

    /// The conditions the fields describe, or the first field that is wrong.
    pub fn conditions(&self) -> Result<Conditions, PolicyError> {
        let boarding = match self.boarding.trim() {
            "" | "不限" => None,
            "寄宿生" | "是" => Some(true),
            "非寄宿生" | "否" => Some(false),
            other => {
                return refuse(
                    "boarding",
                    format!("寄宿“{other}”无法识别，应为 不限 / 寄宿生 / 非寄宿生"),
                )
            }
        };
        let checked = |raw: &str| matches!(raw.trim(), "on" | "是" | "true" | "1");
        let hardship = labels(
            "hardship",
            "困难类型",
            &self.hardship,
            |l| Hardship::parse(l).filter(|h| *h != Hardship::None),
            "脱贫家庭 / 低保家庭 / 特困供养 / 孤儿 / 残疾学生 / 其他困难".into(),
        )?;
        let any_hardship = checked(&self.any_hardship);
        if any_hardship && !hardship.is_empty() {
            return refuse(
                "hardship",
                "困难类型：已勾选“任一困难类型”时不再勾选具体类型，二者只选其一",
            );
        }
        let vocational_years = labels(
            "vocational_years",
            "中职年级",
            &self.vocational_years,
            |l| l.parse::<u8>().ok().filter(|y| (1..=3).contains(y)),
            "1 / 2 / 3".into(),
        )?;
        Ok(Conditions {
            boarding,
            vocational_years,
            hardship,
            any_hardship,
            disabled: checked(&self.disabled),
            settings: labels(
                "settings",
                "城乡类别",
                &self.settings,
                UrbanRural::parse,
                UrbanRural::choices(),
            )?,
            schools: split_list(&self.schools).map(str::to_string).collect(),
        })
    }

    /// The policy of `year` this form describes, or the first field that is wrong.
    pub fn policy(&self, year: i32) -> Result<Policy, PolicyError> {
        let code = self.code.trim();
        if code.is_empty() {
            return refuse("code", "代码不能为空");
        }
        if !code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return refuse(
                "code",
                format!("代码“{code}”只能由小写字母、数字和下划线组成，如 nutrition"),
            );
        }
        let name = self.name.trim();
        if name.is_empty() {
            return refuse("name", "资助项目名称不能为空");
        }
        let grades = labels(
            "grades",
            "年级",
            &self.grades,
            Grade::parse,
            Grade::choices(),
        )?;
        let school_types = labels(
            "school_types",
            "办学类型",
            &self.school_types,
            SchoolType::parse,
            SchoolType::choices(),
        )?;
        let who = if self.rule_mode == "json"
            || (self.rule_mode.is_empty() && !self.who.trim().is_empty())
        {
            rule("who", "资助条件", &self.who)?
        } else {
            self.conditions()?.rule()
        };
        let amount = match self.amount_kind.as_str() {
            "per_term" => Amount::PerTerm {
                fen: money("per_term", "每学期金额", &self.per_term)?,
            },
            "per_day" => {
                let days = self.days.trim();
                let days = match days.parse::<u32>() {
                    Ok(d) if (1..=200).contains(&d) => d,
                    _ => return refuse("days", format!("天数“{days}”应为 1 到 200 之间的整数")),
                };
                Amount::PerDay {
                    spring_fen: money("spring_per_day", "春季每天金额", &self.spring_per_day)?,
                    autumn_fen: money("autumn_per_day", "秋季每天金额", &self.autumn_per_day)?,
                    days,
                }
            }
            "by_stage" => {
                let mut amounts = Vec::new();
                for item in split_list(&self.by_stage) {
                    let Some((stage, fen)) = item.split_once(['=', '＝', ':', '：']) else {
                        return refuse(
                            "by_stage",
                            format!("按学段金额“{item}”应写作 学段=金额，如 小学=500；初中=625"),
                        );
                    };
                    let Some(stage) = stage_of(stage.trim()) else {
                        return refuse(
                            "by_stage",
                            format!("按学段金额中的学段“{}”无法识别，应为 学前教育 / 小学 / 初中 / 高中", stage.trim()),
                        );
                    };
                    if amounts.iter().any(|(s, _)| *s == stage) {
                        return refuse("by_stage", format!("按学段金额中“{}”写了两次", stage.label()));
                    }
                    amounts.push((stage, money("by_stage", "按学段金额", fen)?));
                }
                if amounts.is_empty() {
                    return refuse("by_stage", "按学段金额不能为空，如 小学=500；初中=625");
                }
                Amount::ByStage { amounts }
            }
            "tiers" => {
                let mut tiers = Vec::new();
                for (i, line) in self.tiers.lines().filter(|l| !l.trim().is_empty()).enumerate() {
                    let n = i + 1;
                    let Some((fen, when)) = line.split_once(['|', '｜']) else {
                        return refuse(
                            "tiers",
                            format!("分档第{n}行应写作 金额 | 条件，如 1500 | 特困供养、孤儿"),
                        );
                    };
                    tiers.push(Tier {
                        fen: money("tiers", &format!("分档第{n}行的金额"), fen)?,
                        when: tier_rule(n, when)?,
                    });
                }
                if tiers.is_empty() {
                    return refuse("tiers", "分档不能为空：每行一档，写作 金额 | 条件");
                }
                Amount::Tiers { tiers }
            }
            other => {
                return refuse(
                    "amount_kind",
                    format!("资助标准方式“{other}”无法识别，应为 per_term（每学期定额）/ per_day（按天）/ by_stage（按学段）/ tiers（分档）"),
                )
            }
        };
        let document = match self.document.trim() {
            "" => None,
            raw => match crate::documents::DocNumber::parse(raw) {
                Ok(number) => Some(number.to_string()),
                Err(message) => return refuse("document", message),
            },
        };
        let spring = quota(&self.quota_spring, "quota_spring", "春季名额")?;
        let autumn = quota(&self.quota_autumn, "quota_autumn", "秋季名额")?;
        let quota = match (spring, autumn) {
            (None, None) => None,
            (Some(spring), Some(autumn)) => Some(Quota { spring, autumn }),
            (None, Some(_)) => {
                return refuse("quota_spring", "春季名额与秋季名额须同时填写或同时留空")
            }
            (Some(_), None) => {
                return refuse("quota_autumn", "春季名额与秋季名额须同时填写或同时留空")
            }
        };
        Ok(Policy {
            code: code.to_string(),
            name: name.to_string(),
            year,
            grades,
            school_types,
            who,
            amount,
            quota,
            document,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aid::catalog_2021;

    #[test]
    fn every_2021_policy_survives_the_form() {
        for p in catalog_2021() {
            assert_eq!(PolicyForm::of(&p).policy(2021), Ok(p.clone()), "{}", p.code);
        }
    }

    #[test]
    fn tiers_read_as_words() {
        let grant = catalog_2021()
            .into_iter()
            .find(|p| p.code == "senior_grant")
            .expect("grant");
        let form = PolicyForm::of(&grant);
        assert_eq!(
            form.tiers,
            "1500.00 | 特困供养、孤儿\n1000.00 | 脱贫家庭、低保家庭、残疾\n500.00 | 其余"
        );
        let mut edited = form.clone();
        edited.tiers = "1800 | 孤儿\n600 | 其余".into();
        let Amount::Tiers { tiers } = edited.policy(2021).expect("policy").amount else {
            panic!("tiers");
        };
        assert_eq!(
            tiers,
            vec![
                Tier {
                    fen: 180_000,
                    when: Rule::Hardship(vec![Hardship::Orphan])
                },
                Tier {
                    fen: 60_000,
                    when: Rule::Everyone
                }
            ]
        );
    }

    #[test]
    fn errors_name_the_field() {
        let good = PolicyForm::of(&catalog_2021()[1]);
        let cases: Vec<(PolicyForm, &str, &str)> = vec![
            (
                PolicyForm {
                    code: "Boarding!".into(),
                    ..good.clone()
                },
                "code",
                "代码",
            ),
            (
                PolicyForm {
                    name: " ".into(),
                    ..good.clone()
                },
                "name",
                "名称",
            ),
            (
                PolicyForm {
                    grades: "十年级".into(),
                    ..good.clone()
                },
                "grades",
                "年级“十年级”",
            ),
            (
                PolicyForm {
                    rule_mode: "json".into(),
                    who: "{\"boarder\":1}".into(),
                    ..good.clone()
                },
                "who",
                "资助条件",
            ),
            (
                PolicyForm {
                    boarding: "走读".into(),
                    ..good.clone()
                },
                "boarding",
                "寄宿“走读”",
            ),
            (
                PolicyForm {
                    hardship: "低保家庭、富裕".into(),
                    any_hardship: String::new(),
                    ..good.clone()
                },
                "hardship",
                "困难类型“富裕”",
            ),
            (
                PolicyForm {
                    hardship: "低保家庭".into(),
                    ..good.clone()
                },
                "hardship",
                "任一困难类型",
            ),
            (
                PolicyForm {
                    settings: "山区".into(),
                    ..good.clone()
                },
                "settings",
                "城乡类别“山区”",
            ),
            (
                PolicyForm {
                    vocational_years: "4".into(),
                    ..good.clone()
                },
                "vocational_years",
                "中职年级“4”",
            ),
            (
                PolicyForm {
                    by_stage: "小学=abc".into(),
                    ..good.clone()
                },
                "by_stage",
                "按学段金额“abc”",
            ),
            (
                PolicyForm {
                    by_stage: "大学=5".into(),
                    ..good.clone()
                },
                "by_stage",
                "学段“大学”",
            ),
            (
                PolicyForm {
                    amount_kind: "monthly".into(),
                    ..good.clone()
                },
                "amount_kind",
                "资助标准方式",
            ),
            (
                PolicyForm {
                    quota_spring: "10".into(),
                    ..good.clone()
                },
                "quota_autumn",
                "名额",
            ),
            (
                PolicyForm {
                    quota_spring: "-1".into(),
                    quota_autumn: "3".into(),
                    ..good.clone()
                },
                "quota_spring",
                "春季名额“-1”",
            ),
            (
                PolicyForm {
                    amount_kind: "tiers".into(),
                    tiers: "1500 | nobody".into(),
                    ..good.clone()
                },
                "tiers",
                "分档第1行的条件“nobody”",
            ),
            (
                PolicyForm {
                    amount_kind: "per_day".into(),
                    days: "0".into(),
                    ..good
                },
                "days",
                "天数",
            ),
        ];
        for (form, field, text) in cases {
            let e = form.policy(2021).expect_err(field);
            assert_eq!(e.field, field, "{e:?}");
            assert!(e.reason.contains(text), "{e:?}");
        }
    }

    #[test]
    fn the_fields_change_eligibility_without_rule_data() {
        // 非寄宿生生活费补助 opened to 孤儿 and limited to rural schools, through the fields.
        let mut form = PolicyForm::of(&catalog_2021()[2]);
        assert_eq!(form.rule_mode, "fields");
        assert_eq!(form.boarding, "非寄宿生");
        assert_eq!(form.disabled, "on");
        form.hardship.push_str("、孤儿");
        form.settings = "乡村".into();
        form.who = "stale rule data is ignored in fields mode".into();
        let p = form.policy(2021).expect("policy");
        assert_eq!(
            p.who,
            Rule::AllOf(vec![
                Rule::Not(Box::new(Rule::Boarding)),
                Rule::AnyOf(vec![
                    Rule::Hardship(vec![
                        Hardship::LiftedOut,
                        Hardship::Dibao,
                        Hardship::Tekun,
                        Hardship::Orphan
                    ]),
                    Rule::Disabled
                ]),
                Rule::SchoolSetting(vec![UrbanRural::Rural]),
            ])
        );
        // An API client that only sends rule data still gets it read.
        let api = PolicyForm {
            rule_mode: String::new(),
            who: "\"boarding\"".into(),
            ..form
        };
        assert_eq!(api.policy(2021).expect("policy").who, Rule::Boarding);
    }

    #[test]
    fn a_quota_and_a_new_amount_are_read() {
        let mut form = PolicyForm::of(&catalog_2021()[7]);
        form.per_term = "600".into();
        form.quota_spring = "100".into();
        form.quota_autumn = "120".into();
        let p = form.policy(2022).expect("policy");
        assert_eq!(p.year, 2022);
        assert_eq!(p.amount, Amount::PerTerm { fen: 60_000 });
        assert_eq!(
            p.quota,
            Some(Quota {
                spring: 100,
                autumn: 120
            })
        );
    }
}
