//! The page shell: menu, breadcrumbs, the signed-in account, pagination links.

use crate::error::PageError;
use crate::session::Caller;
use askama::Template;
use axum::response::Html;
use emis_app::auth::Account;
use emis_domain::access::Permission;

pub struct MenuItem {
    pub label: &'static str,
    pub href: &'static str,
    pub key: &'static str,
}

pub struct MenuGroup {
    pub label: &'static str,
    pub items: Vec<MenuItem>,
}

pub struct Crumb {
    pub label: String,
    pub href: String,
}

/// What every signed-in page shows around its content.
pub struct Chrome {
    pub title: String,
    pub user: String,
    pub role: String,
    pub org: String,
    pub csrf: String,
    pub menu: Vec<MenuGroup>,
    pub crumbs: Vec<Crumb>,
    pub active: &'static str,
    pub flash: Option<String>,
}

fn menu_for(account: &Account) -> Vec<MenuGroup> {
    let mut registry = vec![
        MenuItem {
            label: "机构",
            href: "/orgs",
            key: "orgs",
        },
        MenuItem {
            label: "学校",
            href: "/schools",
            key: "schools",
        },
        MenuItem {
            label: "班级",
            href: "/classes",
            key: "classes",
        },
        MenuItem {
            label: "学生",
            href: "/students",
            key: "students",
        },
        MenuItem {
            label: "教职工",
            href: "/staff",
            key: "staff",
        },
    ];
    if account.role.permits(Permission::ImportRegistry) {
        registry.push(MenuItem {
            label: "导入",
            href: "/import",
            key: "import",
        });
    }
    let mut menu = vec![
        MenuGroup {
            label: "概览",
            items: if account.scope.is_county() {
                vec![
                    MenuItem {
                        label: "首页",
                        href: "/",
                        key: "home",
                    },
                    MenuItem {
                        label: "年度指标",
                        href: "/reports/annual",
                        key: "annual",
                    },
                ]
            } else {
                vec![MenuItem {
                    label: "首页",
                    href: "/",
                    key: "home",
                }]
            },
        },
        MenuGroup {
            label: "学籍管理",
            items: registry,
        },
    ];
    let mut enrollment = vec![
        MenuItem {
            label: "班额监测",
            href: "/enrollment",
            key: "enrollment",
        },
        MenuItem {
            label: "大班额台账",
            href: "/enrollment/ledger",
            key: "ledger",
        },
    ];
    if account.role.permits(Permission::PlanEnrollment) {
        enrollment.push(MenuItem {
            label: "学区与招生计划",
            href: "/enrollment/zones",
            key: "zones",
        });
        enrollment.push(MenuItem {
            label: "报名导入",
            href: "/enrollment/applicants",
            key: "applicants",
        });
    }
    enrollment.push(MenuItem {
        label: "派位方案",
        href: "/enrollment/runs",
        key: "runs",
    });
    menu.push(MenuGroup {
        label: "招生与班额",
        items: enrollment,
    });
    menu.push(MenuGroup {
        label: "安全管理",
        items: vec![
            MenuItem {
                label: "安全概况",
                href: "/safety",
                key: "safety",
            },
            MenuItem {
                label: "隐患台账",
                href: "/safety/hazards",
                key: "hazards",
            },
            MenuItem {
                label: "排查与专项行动",
                href: "/safety/inspections",
                key: "inspections",
            },
            MenuItem {
                label: "水域与九长",
                href: "/safety/waters",
                key: "waters",
            },
            MenuItem {
                label: "九长责任链",
                href: "/safety/chain",
                key: "chain",
            },
            MenuItem {
                label: "暑期巡查",
                href: "/safety/patrols",
                key: "patrols",
            },
            MenuItem {
                label: "十有清单",
                href: "/safety/ten-haves",
                key: "ten_haves",
            },
            MenuItem {
                label: "致家长一封信",
                href: "/safety/letters",
                key: "letters",
            },
            MenuItem {
                label: "安全事故登记",
                href: "/incidents",
                key: "incidents",
            },
        ],
    });
    menu.push(MenuGroup {
        label: "控辍保学",
        items: vec![
            MenuItem {
                label: "控辍保学概况",
                href: "/dropout",
                key: "dropout",
            },
            MenuItem {
                label: "台账",
                href: "/dropout/ledger",
                key: "dropout-ledger",
            },
            MenuItem {
                label: "一人一案",
                href: "/dropout/cases",
                key: "dropout-cases",
            },
            MenuItem {
                label: "送教上门",
                href: "/dropout/home-teaching",
                key: "home-teaching",
            },
        ],
    });
    menu.push(MenuGroup {
        label: "学生资助",
        items: vec![
            MenuItem {
                label: "资助概况与问题名单",
                href: "/aid",
                key: "aid",
            },
            MenuItem {
                label: "政策目录",
                href: "/aid/policies",
                key: "aid_policies",
            },
            MenuItem {
                label: "申报与审批",
                href: "/aid/proposals",
                key: "aid_proposals",
            },
            MenuItem {
                label: "发放批次",
                href: "/aid/batches",
                key: "aid_batches",
            },
        ],
    });
    menu.push(MenuGroup {
        label: "双减",
        items: vec![
            MenuItem {
                label: "双减工作概况",
                href: "/double-reduction",
                key: "double_reduction",
            },
            MenuItem {
                label: "校外培训机构",
                href: "/double-reduction/institutions",
                key: "institutions",
            },
            MenuItem {
                label: "课后服务",
                href: "/double-reduction/after-school",
                key: "after_school",
            },
            MenuItem {
                label: "五项管理",
                href: "/double-reduction/five",
                key: "five",
            },
            MenuItem {
                label: "专项督查",
                href: "/double-reduction/supervision",
                key: "supervision",
            },
        ],
    });
    menu.push(MenuGroup {
        label: "数据采集",
        items: vec![
            MenuItem {
                label: "报表管理",
                href: "/forms",
                key: "forms",
            },
            MenuItem {
                label: "填报任务",
                href: "/forms/tasks",
                key: "form_tasks",
            },
        ],
    });
    menu.push(MenuGroup {
        label: "教师队伍",
        items: vec![
            MenuItem {
                label: "教职工名册",
                href: "/teachers",
                key: "teachers",
            },
            MenuItem {
                label: "编制与缺编",
                href: "/teachers/staffing",
                key: "staffing",
            },
            MenuItem {
                label: "招聘计划",
                href: "/teachers/recruitment",
                key: "recruitment",
            },
            MenuItem {
                label: "教师培训",
                href: "/teachers/trainings",
                key: "trainings",
            },
            MenuItem {
                label: "公费定向师范生",
                href: "/teachers/trainees",
                key: "trainees",
            },
            MenuItem {
                label: "工作室",
                href: "/teachers/studios",
                key: "studios",
            },
            MenuItem {
                label: "表彰奖励",
                href: "/teachers/awards",
                key: "awards",
            },
            MenuItem {
                label: "师德师风",
                href: "/teachers/conduct",
                key: "conduct",
            },
        ],
    });
    menu.push(MenuGroup {
        label: "建设与荣誉",
        items: vec![
            MenuItem {
                label: "建设项目",
                href: "/projects",
                key: "projects",
            },
            MenuItem {
                label: "荣誉与竞赛",
                href: "/honours",
                key: "honours",
            },
            MenuItem {
                label: "职业教育",
                href: "/vocational",
                key: "vocational",
            },
        ],
    });
    menu.push(MenuGroup {
        label: "督导评估",
        items: vec![
            MenuItem {
                label: "督导检查",
                href: "/supervision/visits",
                key: "visits",
            },
            MenuItem {
                label: "绩效目标管理评估",
                href: "/supervision/assessment",
                key: "assessment",
            },
        ],
    });
    menu.push(MenuGroup {
        label: "综合管理",
        items: vec![MenuItem {
            label: "公文登记",
            href: "/documents",
            key: "documents",
        }],
    });
    // 党建 is the party office's; a branch's secretary has their branch on the home page.
    if account.role.permits(Permission::KeepParty) {
        menu.push(MenuGroup {
            label: "党建",
            items: vec![MenuItem {
                label: "党支部与党员发展",
                href: "/party",
                key: "party",
            }],
        });
    }
    // 市州/省: the counties' roll-up (the route table leaves it out for county accounts).
    menu.push(MenuGroup {
        label: "区域汇总",
        items: vec![MenuItem {
            label: "各县主要指标",
            href: "/region",
            key: "region",
        }],
    });
    // 年度工作总结 and the dashboard: county accounts (the route table leaves out the rest).
    menu.push(MenuGroup {
        label: "年度总结",
        items: vec![
            MenuItem {
                label: "年度工作总结",
                href: "/reports/summary",
                key: "summary",
            },
            MenuItem {
                label: "领导驾驶舱",
                href: "/reports/dashboard",
                key: "dashboard",
            },
        ],
    });
    if account.role.permits(Permission::ManageAccounts) {
        menu.push(MenuGroup {
            label: "系统管理",
            items: vec![
                MenuItem {
                    label: "账号",
                    href: "/admin/users",
                    key: "users",
                },
                MenuItem {
                    label: "审计日志",
                    href: "/admin/audit",
                    key: "audit",
                },
            ],
        });
    }
    // Links the route table would refuse this role (a 班主任's school-wide reads) are left out.
    for group in &mut menu {
        group
            .items
            .retain(|i| crate::routes::role_may_get(i.href, account.role));
    }
    menu.retain(|g| !g.items.is_empty());
    menu
}

impl Chrome {
    pub fn new(
        caller: &Caller,
        title: &str,
        active: &'static str,
        crumbs: &[(&str, &str)],
    ) -> Result<Chrome, PageError> {
        let account = caller.account()?;
        let mut all = vec![Crumb {
            label: "首页".into(),
            href: "/".into(),
        }];
        all.extend(crumbs.iter().map(|(l, h)| Crumb {
            label: l.to_string(),
            href: h.to_string(),
        }));
        Ok(Chrome {
            title: title.to_string(),
            user: account.display_name.clone(),
            role: account.role.label().to_string(),
            org: account.org_name.clone(),
            csrf: caller.csrf.clone().unwrap_or_default(),
            menu: menu_for(account),
            crumbs: all,
            active,
            flash: None,
        })
    }

    pub fn with_flash(mut self, flash: Option<String>) -> Chrome {
        self.flash = flash;
        self
    }
}

/// What a by-township chart is titled for the account: 各乡镇 for the county, else the
/// account's own township or school (its chart has its own bar only).
pub fn scope_title(account: &emis_app::auth::Account) -> String {
    if account.scope.is_county() {
        "各乡镇".to_string()
    } else {
        account.org_name.clone()
    }
}

pub fn render<T: Template>(template: &T) -> Result<Html<String>, PageError> {
    template.render().map(Html).map_err(|e| {
        PageError(crate::error::WebError::Message(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            format!("页面渲染失败：{e}"),
        ))
    })
}
