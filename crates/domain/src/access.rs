//! 角色与数据范围: every account has a role and is bound to an org unit; the org unit
//! bounds what it sees (county → township → school).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// 系统管理员: accounts, settings, the audit log.
    Admin,
    /// 局领导: reads everything in the county.
    Leader,
    /// 股室: runs a module county-wide.
    Officer,
    /// 乡镇中心校: the schools of one township.
    Township,
    /// 学校管理员: one school.
    SchoolAdmin,
    /// 班主任: own classes.
    ClassTeacher,
}

/// The level of org unit a role is bound to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrgLevel {
    County,
    Township,
    School,
}

impl OrgLevel {
    pub fn kind(self) -> &'static str {
        match self {
            OrgLevel::County => "county",
            OrgLevel::Township => "township",
            OrgLevel::School => "school",
        }
    }
}

impl Role {
    pub const ALL: &'static [Role] = &[
        Role::Admin,
        Role::Leader,
        Role::Officer,
        Role::Township,
        Role::SchoolAdmin,
        Role::ClassTeacher,
    ];

    /// The code on the command line and in the database.
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Leader => "leader",
            Role::Officer => "officer",
            Role::Township => "township",
            Role::SchoolAdmin => "school",
            Role::ClassTeacher => "teacher",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "系统管理员",
            Role::Leader => "局领导",
            Role::Officer => "股室",
            Role::Township => "乡镇中心校",
            Role::SchoolAdmin => "学校管理员",
            Role::ClassTeacher => "班主任",
        }
    }

    /// Reads a code (`admin`) or a Chinese label (`系统管理员`).
    pub fn parse(raw: &str) -> Option<Role> {
        let text = crate::text::fold_width(raw);
        Role::ALL
            .iter()
            .copied()
            .find(|r| r.code() == text || r.label() == text)
    }

    pub fn org_level(self) -> OrgLevel {
        match self {
            Role::Admin | Role::Leader | Role::Officer => OrgLevel::County,
            Role::Township => OrgLevel::Township,
            Role::SchoolAdmin | Role::ClassTeacher => OrgLevel::School,
        }
    }

    /// Whether the role needs full ID and phone numbers in its daily work.
    pub fn sees_unmasked_personal_data(self) -> bool {
        matches!(self, Role::Admin | Role::Officer | Role::SchoolAdmin)
    }

    pub fn choices() -> String {
        Role::ALL
            .iter()
            .map(|r| format!("{}（{}）", r.code(), r.label()))
            .collect::<Vec<_>>()
            .join("、")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_by_code_and_label() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()), Some(*r));
            assert_eq!(Role::parse(r.label()), Some(*r));
        }
        assert_eq!(Role::parse("root"), None);
        assert_eq!(Role::SchoolAdmin.org_level(), OrgLevel::School);
    }
}

/// 数据范围: what an account may see, from the org unit it is bound to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    County {
        county: String,
    },
    Township {
        county: String,
        township: String,
    },
    School {
        county: String,
        school: String,
    },
    /// A 班主任: one class (grade and number) of one school, in whatever term is shown.
    Class {
        county: String,
        school: String,
        grade: crate::registry::Grade,
        number: u32,
    },
}

impl Scope {
    pub fn county(&self) -> &str {
        match self {
            Scope::County { county }
            | Scope::Township { county, .. }
            | Scope::School { county, .. }
            | Scope::Class { county, .. } => county,
        }
    }

    /// Whether a school (with its township) lies inside the scope.
    pub fn admits_school(&self, school_code: &str, township_code: &str) -> bool {
        match self {
            Scope::County { .. } => true,
            Scope::Township { township, .. } => township == township_code,
            Scope::School { school, .. } | Scope::Class { school, .. } => school == school_code,
        }
    }

    /// Whether the scope covers the whole county.
    pub fn is_county(&self) -> bool {
        matches!(self, Scope::County { .. })
    }
}

#[cfg(test)]
mod scope_tests {
    use super::*;

    #[test]
    fn scopes_admit_only_what_lies_below() {
        let county = Scope::County {
            county: "431224".into(),
        };
        let township = Scope::Township {
            county: "431224".into(),
            township: "431224104".into(),
        };
        let school = Scope::School {
            county: "431224".into(),
            school: "2143000001".into(),
        };
        assert!(county.admits_school("2143000009", "431224231"));
        assert!(township.admits_school("2143000009", "431224104"));
        assert!(!township.admits_school("2143000009", "431224100"));
        assert!(school.admits_school("2143000001", "431224100"));
        assert!(!school.admits_school("2143000002", "431224100"));
    }
}
