//! 角色与数据范围: every account has a role and is bound to an org unit; the org unit
//! bounds what it sees (county → township → school). Above the county, a region account
//! (市州 or 省) reads the roll-up of its counties' figures and nothing else.

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
    /// 市州/省教育局: reads the figures of the counties of its region, changes nothing.
    Region,
}

/// The level of org unit a role is bound to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrgLevel {
    /// A city or province above the counties.
    Region,
    County,
    Township,
    School,
}

impl OrgLevel {
    pub fn kind(self) -> &'static str {
        match self {
            OrgLevel::Region => "region",
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
        Role::Region,
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
            Role::Region => "region",
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
            Role::Region => "市州/省教育局",
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
            Role::Region => OrgLevel::Region,
        }
    }

    /// Whether the role works inside one county: every page open to any signed-in account
    /// (学生, 机构, 安全 …) reads one county's records. A region account is bound to no
    /// county: it reads only the roll-up ([`Permission::ReadRegion`]), its own account
    /// pages, and never a county's records.
    pub fn works_in_a_county(self) -> bool {
        self.org_level() != OrgLevel::Region
    }

    /// Whether the role needs full ID and phone numbers in its daily work.
    pub fn sees_unmasked_personal_data(self) -> bool {
        self.permits(Permission::SeePersonalData)
    }

    /// 权限表: whether the role may do what the permission names. The one place that
    /// answers "who may …?"; record-level scope (which school, which student) is checked
    /// by the services on top of this.
    pub fn permits(self, permission: Permission) -> bool {
        use Permission::*;
        use Role::*;
        match permission {
            EditStudents | ReceiveTransfers | ImportRegistry | WorkDropoutCases | RecordHazards
            | KeepChain | ProposeAid | ProposeAwards | RecordAfterSchool | FillForms => {
                matches!(self, Admin | Officer | Township | SchoolAdmin)
            }
            WholeSchoolReads => matches!(self, Admin | Leader | Officer | Township | SchoolAdmin),
            SeePersonalData | FormClasses => matches!(self, Admin | Officer | SchoolAdmin),
            KeepWaters | ReviewAid | ReviewAwards => matches!(self, Admin | Officer | Township),
            ReviewHazards | KeepAidPolicies | ImportPopulationRoll | PlanEnrollment
            | KeepTeachers | HandleConduct | KeepInstitutions | KeepForms | KeepProjects
            | KeepHonours | KeepAssessment | KeepDocuments | KeepVocational | KeepParty => {
                matches!(self, Admin | Officer)
            }
            ManageAccounts | ReadAudit => matches!(self, Admin),
            ReadSummary => matches!(self, Admin | Leader | Officer),
            DraftSummary => matches!(self, Admin | Officer),
            // The one change a leader makes: the bureau's summary is theirs to publish.
            PublishSummary => matches!(self, Admin | Leader),
            // The region's alone: a county's administrator reads its own county, not the
            // other counties of the city.
            ReadRegion => matches!(self, Region),
        }
    }

    /// The permissions the role holds, in the order of `Permission::ALL`.
    pub fn permissions(self) -> impl Iterator<Item = Permission> {
        Permission::ALL
            .iter()
            .copied()
            .filter(move |p| self.permits(*p))
    }

    pub fn choices() -> String {
        Role::ALL
            .iter()
            .map(|r| format!("{}（{}）", r.code(), r.label()))
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// 股室: the bureau's offices a county officer works in, and that own the sections of the
/// annual summary. 办公室 owns the preface and anything unassigned.
pub const OFFICES: &[&str] = &[
    "办公室",
    "党建",
    "基础教育",
    "资助中心",
    "安全",
    "人事",
    "督导",
    "计财",
    "职成",
    "体卫艺",
];

/// Reads an office's name as people write it: `资助中心`, `安全股`, `人事股`, `基教股`,
/// `党建办`, `督导室` (a trailing 股/室/办 and the short 基教 are understood).
pub fn office_named(raw: &str) -> Option<&'static str> {
    let text = crate::text::fold_width(raw.trim());
    let find = |name: &str| OFFICES.iter().copied().find(|o| *o == name);
    let stem = ["股", "室", "办"]
        .iter()
        .find_map(|suffix| text.strip_suffix(suffix))
        .unwrap_or(&text);
    find(&text)
        .or_else(|| find(stem))
        .or_else(|| (stem == "基教").then_some("基础教育"))
}

/// Who drafts a section of the annual summary: an officer of the office that owns it, or
/// an administrator. Anyone else is refused, an officer of another office too (the leader
/// reviews and publishes, see [`Permission::PublishSummary`]).
pub fn may_draft_section(role: Role, office: Option<&str>, section_office: &str) -> bool {
    match role {
        Role::Admin => true,
        Role::Officer => office == Some(section_office),
        _ => false,
    }
}

/// Who binds an account to a region (市州/省): the server's operator at the region's own
/// level (`emis user add … --role region`, `grantor` the region's code), or a county's
/// administrator (`grantor` its county) only while the region holds no other county of this
/// database: a region account reads every contained county's figures, which no county may
/// hand out for its neighbours. `counties`: the region's counties present here. `Err` says
/// why not, in Chinese.
pub fn may_grant_region_account(
    grantor: &str,
    region: &crate::region::Region,
    counties: &[&str],
) -> Result<(), String> {
    if grantor == region.code {
        return Ok(());
    }
    if !region.contains(grantor) {
        return Err(format!(
            "本县（{grantor}）不在{}（{}）内，不能为其建账号",
            region.name, region.code
        ));
    }
    let others: Vec<&str> = counties.iter().copied().filter(|c| *c != grantor).collect();
    if others.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}还包含本系统中的其他县（{}），县级管理员不能为其建账号；请由服务器管理员用 emis user add 创建",
            region.name,
            others.join("、")
        ))
    }
}

/// 权限: one operation family each, named for what it allows. Who holds which is decided
/// in [`Role::permits`] only; the route table, the services and the menu all ask it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Permission {
    /// 学校整体数据查阅：资助名单与批次、控辍台账与个案、招生、教职工。班主任只看本班，故不含。
    /// Reads that only make sense for a whole school or more; everyone but a class teacher.
    WholeSchoolReads,
    /// 查看完整身份证号与电话：县局、管理员与学校管理员日常工作需要。
    /// Full ID and phone numbers (reveal, unmasked exports): the roles whose daily work needs them.
    SeePersonalData,
    /// 学籍变动：休学、复学、转出等状态变更与发起转学。
    /// Change a student's status and start a transfer: the offices and schools that keep the roll.
    EditStudents,
    /// 接收或退回转入的学生（本范围内的接收学校）。
    /// Accept or decline a transfer into a school of the scope.
    ReceiveTransfers,
    /// 导入学籍、学校等名册表格。
    /// Import registry sheets (students, schools) within the scope.
    ImportRegistry,
    /// 控辍保学个案办理：走访、劝返、送教上门与附件。
    /// Work dropout cases and home teaching: the county office, townships and schools.
    WorkDropoutCases,
    /// 导入人口库比对名单（到县教育局）。
    /// Import the population roll for matching: it comes to the county office only.
    ImportPopulationRoll,
    /// 隐患登记、整改、巡查日志、“十有”与告家长书（本范围内）。
    /// Record hazards and rectification, patrols, 十有 and letters within the scope.
    RecordHazards,
    /// 安排检查、复核销号与退回隐患：教育局。
    /// Schedule inspections, verify, close and send back hazards: the bureau.
    ReviewHazards,
    /// 维护水域台账、防护措施与值守安排：乡镇与教育局。
    /// Keep water bodies, their measures and duty rosters: townships and the bureau.
    KeepWaters,
    /// 维护防溺水“九长”责任链（学校限本校与班级，服务层核对对象）。
    /// Keep the 九长 chain links; the service checks each link's target.
    KeepChain,
    /// 维护资助政策目录：县资助中心。
    /// Keep the aid policy catalog: county-wide, the county office.
    KeepAidPolicies,
    /// 资助申报：学校为本校、乡镇与县为其范围申报。
    /// Propose aid recipients (a school for itself, a township or the county for theirs).
    ProposeAid,
    /// 资助审核审批：乡镇审核，县资助中心审批。
    /// Review aid proposals: township check, county approval.
    ReviewAid,
    /// 划学区、定招生计划、导入报名、运行与发布派位：县教育局。
    /// Draw zones, set plans, import applicants, run and publish allocations: county officers.
    PlanEnrollment,
    /// 均衡分班：县教育局，及学校为本校新生。
    /// Form balanced classes: planners, and a school for its own intake.
    FormClasses,
    /// 教师队伍维护：编制标准、招聘计划、公费定向师范生、培训与工作室：人事股与教师发展中心。
    /// Keep the teacher workforce's records county-wide: staffing standards, recruitment
    /// plans, funded normal students, trainings and studios.
    KeepTeachers,
    /// 表彰推荐：学校推荐本校教师，乡镇与县为其范围推荐。
    /// Propose a teacher for an award (a school for its own, a township or the county for theirs).
    ProposeAwards,
    /// 表彰审核授予：乡镇审核，县教育局授予。
    /// Review award proposals: township check, bureau grant.
    ReviewAwards,
    /// 师德师风案件：只有办理的股室可见。
    /// See and work conduct cases: only the bureau office that handles them.
    HandleConduct,
    /// 校外培训机构台账：登记、状态变更（关停、注销、转型等）：县双减办。
    /// Keep the training-institution register and its status changes: the county office.
    KeepInstitutions,
    /// 课后服务登记：学校填报本校，乡镇与县为其范围。
    /// Record after-school service (a school for itself, a township or the county for theirs).
    RecordAfterSchool,
    /// 报表定义、下发、退回与汇总：县教育局各股室。
    /// Define forms, send them out, send responses back and read the results: the bureau.
    KeepForms,
    /// 党员发展管理：入党积极分子、发展对象、预备党员与转正，支部与组织生活：县教育局党建办。
    /// 支部书记只看本支部（按支部判断，见 `party::branch_access`），不凭此权限。
    /// Keep the party-building records county-wide (stages, branches, meetings): the party
    /// office. A branch's secretary sees that branch only, decided per branch.
    KeepParty,
    /// 报表填报：学校填本校，乡镇中心校填本乡镇（县教育局可代填）。
    /// Fill and submit forms (a school its own, a township office its own; the bureau may).
    FillForms,
    /// 建设项目维护：登记项目、年度投资、进度与竣工：计划财务股。
    /// Keep building projects, their yearly investment, progress and completion: the bureau.
    KeepProjects,
    /// 荣誉与竞赛登记：学校、教师、学生与团体获得的荣誉和竞赛成绩：教育局各股室。
    /// Record honours and competition results of schools, teachers, students and teams.
    KeepHonours,
    /// 督导评估：考核方案、督学评分、计算排名与公布结果：督导室。
    /// Keep the yearly school assessment: its scheme, the inspectors' scores, computing and
    /// publishing the results.
    KeepAssessment,
    /// 公文登记：登记教育局印发的方案、细则、通知及其附件：办公室与各股室。
    /// Register the documents the bureau issues (文号, title, office, file): county officers.
    KeepDocuments,
    /// 职业教育：专业、合作院校与协议、年度招生：职成股。
    /// Keep the vocational school's programmes, partner agreements and yearly intake.
    KeepVocational,
    /// 年度工作总结查阅：县级账号（局领导、股室）阅读草稿、已发布版本与领导驾驶舱。
    /// Read the annual summary (drafts, published versions) and the leadership dashboard.
    ReadSummary,
    /// 年度工作总结起草：各股室起草、提交本股室负责的章节。
    /// Draft and submit the summary's sections: the bureau's offices.
    DraftSummary,
    /// 年度工作总结审核发布：局领导退回章节或发布（发布时固定数字）。
    /// Review the summary (send a section back) and publish it, freezing its figures.
    PublishSummary,
    /// 账号管理：新建、重置密码、令牌与班级绑定。
    /// Manage accounts, passwords, tokens and class bindings: the administrator.
    ManageAccounts,
    /// 查阅审计日志：系统管理员。
    /// Read the audit log: the administrator.
    ReadAudit,
    /// 区域汇总查阅：市州/省教育局阅读所辖各县的主要指标与合计。
    /// Read the roll-up of the region's counties: the city or province office.
    ReadRegion,
}

impl Permission {
    pub const ALL: &'static [Permission] = &[
        Permission::WholeSchoolReads,
        Permission::SeePersonalData,
        Permission::EditStudents,
        Permission::ReceiveTransfers,
        Permission::ImportRegistry,
        Permission::WorkDropoutCases,
        Permission::ImportPopulationRoll,
        Permission::RecordHazards,
        Permission::ReviewHazards,
        Permission::KeepWaters,
        Permission::KeepChain,
        Permission::KeepAidPolicies,
        Permission::ProposeAid,
        Permission::ReviewAid,
        Permission::PlanEnrollment,
        Permission::FormClasses,
        Permission::KeepTeachers,
        Permission::ProposeAwards,
        Permission::ReviewAwards,
        Permission::HandleConduct,
        Permission::KeepInstitutions,
        Permission::RecordAfterSchool,
        Permission::KeepForms,
        Permission::FillForms,
        Permission::KeepProjects,
        Permission::KeepHonours,
        Permission::KeepAssessment,
        Permission::KeepDocuments,
        Permission::KeepVocational,
        Permission::KeepParty,
        Permission::ReadSummary,
        Permission::DraftSummary,
        Permission::PublishSummary,
        Permission::ManageAccounts,
        Permission::ReadAudit,
        Permission::ReadRegion,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Permission::WholeSchoolReads => "查阅学校整体数据",
            Permission::SeePersonalData => "查看完整身份信息",
            Permission::EditStudents => "学籍变动",
            Permission::ReceiveTransfers => "接收转学",
            Permission::ImportRegistry => "导入名册",
            Permission::WorkDropoutCases => "控辍个案办理",
            Permission::ImportPopulationRoll => "导入人口库名单",
            Permission::RecordHazards => "隐患登记与整改",
            Permission::ReviewHazards => "检查安排与隐患销号",
            Permission::KeepWaters => "水域与值守维护",
            Permission::KeepChain => "九长责任链维护",
            Permission::KeepAidPolicies => "资助政策维护",
            Permission::ProposeAid => "资助申报",
            Permission::ReviewAid => "资助审核审批",
            Permission::PlanEnrollment => "招生规划与派位",
            Permission::FormClasses => "均衡分班",
            Permission::KeepTeachers => "教师队伍维护",
            Permission::ProposeAwards => "表彰推荐",
            Permission::ReviewAwards => "表彰审核授予",
            Permission::HandleConduct => "师德师风案件办理",
            Permission::KeepInstitutions => "校外培训机构管理",
            Permission::RecordAfterSchool => "课后服务填报",
            Permission::KeepForms => "报表下发与汇总",
            Permission::FillForms => "报表填报",
            Permission::KeepProjects => "建设项目维护",
            Permission::KeepHonours => "荣誉与竞赛登记",
            Permission::KeepAssessment => "督导评估",
            Permission::KeepDocuments => "公文登记",
            Permission::KeepVocational => "职业教育专业与招生维护",
            Permission::KeepParty => "党员发展管理",
            Permission::ReadSummary => "年度工作总结查阅",
            Permission::DraftSummary => "年度工作总结起草",
            Permission::PublishSummary => "年度工作总结审核发布",
            Permission::ManageAccounts => "账号管理",
            Permission::ReadAudit => "审计日志查阅",
            Permission::ReadRegion => "区域汇总查阅",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_table_reads_as_documented() {
        use Permission::*;
        let holders = |p: Permission| -> Vec<Role> {
            Role::ALL.iter().copied().filter(|r| r.permits(p)).collect()
        };
        // Who may close a hazard? The bureau.
        assert_eq!(holders(ReviewHazards), [Role::Admin, Role::Officer]);
        assert_eq!(holders(ManageAccounts), [Role::Admin]);
        assert_eq!(
            holders(KeepWaters),
            [Role::Admin, Role::Officer, Role::Township]
        );
        assert_eq!(
            holders(FormClasses),
            [Role::Admin, Role::Officer, Role::SchoolAdmin]
        );
        // Leaders read everything and change nothing but the summary they publish; class
        // teachers read their class only.
        for p in Permission::ALL {
            assert!(!Role::ClassTeacher.permits(*p), "班主任 {}", p.label());
            if !matches!(
                *p,
                WholeSchoolReads | SeePersonalData | ReadSummary | PublishSummary
            ) {
                assert!(!Role::Leader.permits(*p), "局领导 {}", p.label());
            }
            // Every permission has a holder, and the county's administrator holds all those
            // of the county.
            assert!(Role::Admin.permits(*p) || *p == ReadRegion, "{}", p.label());
            // A region account reads its roll-up and nothing of a county.
            assert_eq!(
                Role::Region.permits(*p),
                *p == ReadRegion,
                "区域 {}",
                p.label()
            );
        }
        assert!(Role::Leader.permits(WholeSchoolReads));
        assert!(!Role::Leader.permits(SeePersonalData));
        // Who sees a conduct case? The bureau office that handles it, never a school.
        assert_eq!(holders(HandleConduct), [Role::Admin, Role::Officer]);
        // Who grants an award? The township checks, the bureau grants; schools propose.
        assert_eq!(
            holders(ReviewAwards),
            [Role::Admin, Role::Officer, Role::Township]
        );
        assert!(Role::SchoolAdmin.permits(ProposeAwards));
        // Who keeps the party records? The party office only; a secretary sees their branch
        // by `party::branch_access`, not by a role.
        assert_eq!(holders(KeepParty), [Role::Admin, Role::Officer]);
        // Who publishes the annual summary? The leader reviews it; the offices draft it.
        assert_eq!(holders(PublishSummary), [Role::Admin, Role::Leader]);
        assert_eq!(holders(DraftSummary), [Role::Admin, Role::Officer]);
        assert_eq!(
            holders(ReadSummary),
            [Role::Admin, Role::Leader, Role::Officer]
        );
    }

    #[test]
    fn permission_list_and_labels_are_complete() {
        let mut labels: Vec<_> = Permission::ALL.iter().map(|p| p.label()).collect();
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(labels.len(), Permission::ALL.len(), "labels are distinct");
        assert_eq!(
            Role::Officer.permissions().count(),
            Permission::ALL.len() - 4,
            "the officer holds all but the account and audit pages, publishing the summary and the region's roll-up"
        );
    }

    /// Exhaustive over the (small) table: a township holds what a school holds, except
    /// seeing full personal data and forming its classes; the officer holds what a
    /// township holds.
    #[test]
    fn narrower_roles_hold_no_more() {
        for p in Permission::ALL.iter().copied() {
            let school_only = matches!(p, Permission::SeePersonalData | Permission::FormClasses);
            if Role::SchoolAdmin.permits(p) && !school_only {
                assert!(Role::Township.permits(p), "{}", p.label());
            }
            if Role::Township.permits(p) {
                assert!(Role::Officer.permits(p), "{}", p.label());
            }
        }
    }

    #[test]
    fn sections_are_drafted_by_their_office() {
        assert!(may_draft_section(
            Role::Officer,
            Some("资助中心"),
            "资助中心"
        ));
        assert!(!may_draft_section(Role::Officer, Some("人事"), "资助中心"));
        assert!(!may_draft_section(Role::Officer, None, "资助中心"));
        assert!(may_draft_section(Role::Admin, None, "资助中心"));
        for role in [
            Role::Leader,
            Role::Township,
            Role::SchoolAdmin,
            Role::ClassTeacher,
            Role::Region,
        ] {
            assert!(!may_draft_section(role, Some("资助中心"), "资助中心"));
        }
        // Whoever may draft a section holds the drafting permission.
        for role in Role::ALL {
            for office in OFFICES {
                if may_draft_section(*role, Some(office), office) {
                    assert!(role.permits(Permission::DraftSummary));
                }
            }
        }
        assert_eq!(office_named("安全股"), Some("安全"));
        assert_eq!(office_named("基教股"), Some("基础教育"));
        assert_eq!(office_named("资助中心"), Some("资助中心"));
        assert_eq!(office_named("督导室"), Some("督导"));
        assert_eq!(office_named("财务股"), None);
    }

    #[test]
    fn a_county_grants_a_region_account_only_over_itself() {
        let huaihua = crate::region::Region::known("431200").expect("怀化市");
        // The operator, at the region's level.
        assert!(may_grant_region_account("431200", &huaihua, &["431224", "431202"]).is_ok());
        // 溆浦县 alone in the database (the demo).
        assert!(may_grant_region_account("431224", &huaihua, &["431224"]).is_ok());
        let other = may_grant_region_account("431224", &huaihua, &["431202", "431224"])
            .expect_err("鹤城区 is here too");
        assert!(other.contains("431202"), "{other}");
        assert!(may_grant_region_account("431321", &huaihua, &["431321"]).is_err());
    }

    #[test]
    fn roles_parse_by_code_and_label() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()), Some(*r));
            assert_eq!(Role::parse(r.label()), Some(*r));
        }
        assert_eq!(Role::parse("root"), None);
        assert_eq!(Role::SchoolAdmin.org_level(), OrgLevel::School);
        assert_eq!(Role::Region.org_level(), OrgLevel::Region);
        assert!(!Role::Region.works_in_a_county());
        assert!(Role::ALL
            .iter()
            .filter(|r| **r != Role::Region)
            .all(|r| r.works_in_a_county()));
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
    /// A city or province (市州/省教育局): the roll-up of the counties its code contains
    /// (`crate::region::Region::contains`), and no county's records.
    Region {
        code: String,
    },
}

impl Scope {
    /// The county whose records the scope reads. A region's is its own code: its accounts
    /// and audit entries are kept under it, and no record of a county carries it, so a
    /// county query handed a region scope finds nothing.
    pub fn county(&self) -> &str {
        match self {
            Scope::County { county }
            | Scope::Township { county, .. }
            | Scope::School { county, .. }
            | Scope::Class { county, .. } => county,
            Scope::Region { code } => code,
        }
    }

    /// Whether a school (with its township) lies inside the scope.
    pub fn admits_school(&self, school_code: &str, township_code: &str) -> bool {
        match self {
            Scope::County { .. } => true,
            Scope::Township { township, .. } => township == township_code,
            Scope::School { school, .. } | Scope::Class { school, .. } => school == school_code,
            // A region reads figures, never a school's records.
            Scope::Region { .. } => false,
        }
    }

    /// Whether a record kept for a school (with its township), or for the county when it
    /// names none, lies inside the scope: a county-wide record is the county's alone.
    pub fn admits_record(&self, school: Option<&str>, township: Option<&str>) -> bool {
        match (school, township) {
            (Some(school), Some(township)) => self.admits_school(school, township),
            _ => self.is_county(),
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
        let region = Scope::Region {
            code: "431200".into(),
        };
        assert!(!region.admits_school("2143000001", "431224100"));
        assert!(!region.admits_record(None, None));
        assert!(!region.is_county());
        assert_eq!(region.county(), "431200");
    }
}
