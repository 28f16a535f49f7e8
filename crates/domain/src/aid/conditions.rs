//! The conditions of eligibility as ordinary form fields (寄宿, 困难类型, 残疾, 城乡类别,
//! 中职年级, 试点学校), so an officer edits a policy without writing rule data. They
//! cover every rule of the 2021 catalog; a rule they cannot express stays in rule data.

use super::Rule;
use crate::registry::{Hardship, UrbanRural};

/// Conditions that must all hold; an empty one does not restrict.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Conditions {
    /// `Some(true)` 仅寄宿生, `Some(false)` 仅非寄宿生.
    pub boarding: Option<bool>,
    /// 中职 years (1–3) at a 中等职业学校.
    pub vocational_years: Vec<u8>,
    /// The family hardship is one of these …
    pub hardship: Vec<Hardship>,
    /// … or any type other than 无 …
    pub any_hardship: bool,
    /// … or the student is disabled (a disability recorded, or 残疾学生).
    pub disabled: bool,
    /// The school's 城乡类别 is one of these.
    pub settings: Vec<UrbanRural>,
    /// The school is one of these (pilot schools), by 学校标识码.
    pub schools: Vec<String>,
}

impl Conditions {
    /// The conditions a rule is made of, or `None` when the fields cannot express it.
    pub fn of(rule: &Rule) -> Option<Conditions> {
        let parts = match rule {
            Rule::Everyone => return Some(Conditions::default()),
            Rule::AllOf(parts) => parts.as_slice(),
            one => std::slice::from_ref(one),
        };
        let mut c = Conditions::default();
        let mut group_seen = false;
        for part in parts {
            match part {
                Rule::Boarding | Rule::Not(_) if c.boarding.is_some() => return None,
                Rule::Boarding => c.boarding = Some(true),
                Rule::Not(inner) if **inner == Rule::Boarding => c.boarding = Some(false),
                Rule::VocationalYear(y) if c.vocational_years.is_empty() && !y.is_empty() => {
                    c.vocational_years = y.clone()
                }
                Rule::SchoolSetting(s) if c.settings.is_empty() && !s.is_empty() => {
                    c.settings = s.clone()
                }
                Rule::SchoolIn(s) if c.schools.is_empty() && !s.is_empty() => c.schools = s.clone(),
                Rule::Hardship(_) | Rule::AnyHardship | Rule::Disabled | Rule::AnyOf(_)
                    if !group_seen =>
                {
                    group_seen = true;
                    let members = match part {
                        Rule::AnyOf(members) => members.as_slice(),
                        one => std::slice::from_ref(one),
                    };
                    for m in members {
                        match m {
                            Rule::Hardship(h) if c.hardship.is_empty() && !c.any_hardship => {
                                c.hardship = h.clone()
                            }
                            Rule::AnyHardship if c.hardship.is_empty() && !c.any_hardship => {
                                c.any_hardship = true
                            }
                            Rule::Disabled if !c.disabled => c.disabled = true,
                            _ => return None,
                        }
                    }
                    if c.hardship.is_empty() && !c.any_hardship && !c.disabled {
                        return None;
                    }
                }
                _ => return None,
            }
        }
        Some(c)
    }

    /// The rule these conditions make, in the shape the catalog writes it.
    pub fn rule(&self) -> Rule {
        let mut parts = Vec::new();
        match self.boarding {
            Some(true) => parts.push(Rule::Boarding),
            Some(false) => parts.push(Rule::Not(Box::new(Rule::Boarding))),
            None => {}
        }
        if !self.vocational_years.is_empty() {
            parts.push(Rule::VocationalYear(self.vocational_years.clone()));
        }
        let mut group = Vec::new();
        if self.any_hardship {
            group.push(Rule::AnyHardship);
        } else if !self.hardship.is_empty() {
            group.push(Rule::Hardship(self.hardship.clone()));
        }
        if self.disabled {
            group.push(Rule::Disabled);
        }
        match group.len() {
            0 => {}
            1 => parts.extend(group),
            _ => parts.push(Rule::AnyOf(group)),
        }
        if !self.settings.is_empty() {
            parts.push(Rule::SchoolSetting(self.settings.clone()));
        }
        if !self.schools.is_empty() {
            parts.push(Rule::SchoolIn(self.schools.clone()));
        }
        match parts.len() {
            0 => Rule::Everyone,
            1 => parts.remove(0),
            _ => Rule::AllOf(parts),
        }
    }
}

impl Conditions {
    /// The conditions in words for the catalog, e.g. `非寄宿生；脱贫家庭、低保家庭 或残疾`.
    pub fn describe(&self) -> String {
        let join = |items: Vec<String>| items.join("、");
        let mut parts = Vec::new();
        match self.boarding {
            Some(true) => parts.push("寄宿生".to_string()),
            Some(false) => parts.push("非寄宿生".to_string()),
            None => {}
        }
        if !self.vocational_years.is_empty() {
            let years = join(
                self.vocational_years
                    .iter()
                    .map(|y| format!("第{y}年"))
                    .collect(),
            );
            parts.push(format!("中职{years}"));
        }
        let mut group = Vec::new();
        if self.any_hardship {
            group.push("任一困难类型".to_string());
        } else if !self.hardship.is_empty() {
            group.push(join(
                self.hardship
                    .iter()
                    .map(|h| h.label().to_string())
                    .collect(),
            ));
        }
        if self.disabled {
            group.push("残疾".to_string());
        }
        if !group.is_empty() {
            parts.push(group.join(" 或"));
        }
        if !self.settings.is_empty() {
            let settings = join(
                self.settings
                    .iter()
                    .map(|s| s.label().to_string())
                    .collect(),
            );
            parts.push(format!("{settings}学校"));
        }
        if !self.schools.is_empty() {
            parts.push(format!("试点学校 {}", join(self.schools.clone())));
        }
        if parts.is_empty() {
            "不限".into()
        } else {
            parts.join("；")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aid::catalog_2021;

    #[test]
    fn every_2021_rule_is_expressed_by_the_fields() {
        for p in catalog_2021() {
            let c = Conditions::of(&p.who).unwrap_or_else(|| panic!("{}", p.code));
            assert_eq!(c.rule(), p.who, "{}", p.code);
        }
    }

    #[test]
    fn a_rule_the_fields_cannot_express_is_left_to_rule_data() {
        let nested = Rule::AnyOf(vec![
            Rule::Boarding,
            Rule::SchoolSetting(vec![UrbanRural::Rural]),
        ]);
        assert_eq!(Conditions::of(&nested), None);
        let twice = Rule::AllOf(vec![Rule::Boarding, Rule::Not(Box::new(Rule::Boarding))]);
        assert_eq!(Conditions::of(&twice), None);
    }

    #[test]
    fn conditions_combine_as_all_of_with_one_hardship_group() {
        let c = Conditions {
            boarding: Some(false),
            hardship: vec![Hardship::Dibao],
            disabled: true,
            settings: vec![UrbanRural::Rural, UrbanRural::Town],
            ..Conditions::default()
        };
        assert_eq!(
            c.rule(),
            Rule::AllOf(vec![
                Rule::Not(Box::new(Rule::Boarding)),
                Rule::AnyOf(vec![Rule::Hardship(vec![Hardship::Dibao]), Rule::Disabled]),
                Rule::SchoolSetting(vec![UrbanRural::Rural, UrbanRural::Town]),
            ])
        );
        assert_eq!(c.describe(), "非寄宿生；低保家庭 或残疾；乡村、镇区学校");
        assert_eq!(Conditions::of(&c.rule()), Some(c));
        assert_eq!(Conditions::default().rule(), Rule::Everyone);
    }
}
