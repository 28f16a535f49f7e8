//! 导入类型: each kind's name on the command line and in the page, its template columns,
//! and whether only the county office imports it.

use super::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ImportKind {
    Schools,
    Students,
    Staff,
    /// 资助发放.
    Aid,
    /// 脱贫户名单 (控辍保学).
    Poverty,
    /// 家庭经济困难认定 with certificate numbers.
    Hardship,
    /// 教师培训 participants.
    Trainings,
    /// 表彰奖励 already granted.
    Awards,
    /// 公费定向师范生.
    FundedNormal,
    /// 名师名校长工作室 and 学科工作室.
    Studios,
    /// 校外培训机构 and their status changes.
    Institutions,
    /// 课后服务, one row per school per term.
    AfterSchool,
    /// 建设项目, one row per project per year of investment.
    Projects,
    /// 荣誉与竞赛 of schools, teachers, students and teams.
    Honours,
    /// 党员发展, one row per stage reached.
    Party,
}

impl ImportKind {
    pub fn parse(raw: &str) -> Option<ImportKind> {
        match raw {
            "schools" | "学校" => Some(ImportKind::Schools),
            "students" | "学生" => Some(ImportKind::Students),
            "staff" | "教职工" => Some(ImportKind::Staff),
            "aid" | "资助" | "资助发放" => Some(ImportKind::Aid),
            "poverty" | "脱贫户" => Some(ImportKind::Poverty),
            "hardship" | "困难认定" | "家庭经济困难" => Some(ImportKind::Hardship),
            "trainings" | "培训" | "教师培训" => Some(ImportKind::Trainings),
            "awards" | "表彰" | "表彰奖励" => Some(ImportKind::Awards),
            "funded-normal" | "公费定向师范生" | "公费师范生" => {
                Some(ImportKind::FundedNormal)
            }
            "studios" | "工作室" => Some(ImportKind::Studios),
            "institutions" | "校外培训机构" | "培训机构" => {
                Some(ImportKind::Institutions)
            }
            "after-school" | "课后服务" => Some(ImportKind::AfterSchool),
            "projects" | "建设项目" | "项目" => Some(ImportKind::Projects),
            "honours" | "荣誉" | "荣誉与竞赛" => Some(ImportKind::Honours),
            "party" | "党员发展" | "党建" => Some(ImportKind::Party),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ImportKind::Schools => "schools",
            ImportKind::Students => "students",
            ImportKind::Staff => "staff",
            ImportKind::Aid => "aid",
            ImportKind::Poverty => "poverty",
            ImportKind::Hardship => "hardship",
            ImportKind::Trainings => "trainings",
            ImportKind::Awards => "awards",
            ImportKind::FundedNormal => "funded-normal",
            ImportKind::Studios => "studios",
            ImportKind::Institutions => "institutions",
            ImportKind::AfterSchool => "after-school",
            ImportKind::Projects => "projects",
            ImportKind::Honours => "honours",
            ImportKind::Party => "party",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ImportKind::Schools => "学校",
            ImportKind::Students => "学生",
            ImportKind::Staff => "教职工",
            ImportKind::Aid => "资助发放",
            ImportKind::Poverty => "脱贫户名单",
            ImportKind::Hardship => "家庭经济困难认定",
            ImportKind::Trainings => "教师培训",
            ImportKind::Awards => "表彰奖励",
            ImportKind::FundedNormal => "公费定向师范生",
            ImportKind::Studios => "工作室",
            ImportKind::Institutions => "校外培训机构",
            ImportKind::AfterSchool => "课后服务",
            ImportKind::Projects => "建设项目",
            ImportKind::Honours => "荣誉与竞赛",
            ImportKind::Party => "党员发展",
        }
    }

    /// The template's columns, in template order.
    pub fn columns(self) -> &'static [Column<'static>] {
        match self {
            ImportKind::Schools => SCHOOL_COLUMNS,
            ImportKind::Students => STUDENT_COLUMNS,
            ImportKind::Staff => STAFF_COLUMNS,
            ImportKind::Aid => AID_COLUMNS,
            ImportKind::Poverty => POVERTY_COLUMNS,
            ImportKind::Hardship => HARDSHIP_COLUMNS,
            ImportKind::Trainings => TRAINING_COLUMNS,
            ImportKind::Awards => AWARD_COLUMNS,
            ImportKind::FundedNormal => FUNDED_NORMAL_COLUMNS,
            ImportKind::Studios => STUDIO_COLUMNS,
            ImportKind::Institutions => INSTITUTION_COLUMNS,
            ImportKind::AfterSchool => AFTER_SCHOOL_COLUMNS,
            ImportKind::Projects => PROJECT_COLUMNS,
            ImportKind::Honours => HONOUR_COLUMNS,
            ImportKind::Party => PARTY_COLUMNS,
        }
    }

    /// Kinds only the county office imports (a township or school account is refused).
    pub fn county_only(self) -> bool {
        matches!(
            self,
            ImportKind::Schools
                | ImportKind::Poverty
                | ImportKind::Awards
                | ImportKind::FundedNormal
                | ImportKind::Studios
                | ImportKind::Institutions
                | ImportKind::Projects
                | ImportKind::Honours
                | ImportKind::Party
        )
    }
}
