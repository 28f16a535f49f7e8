//! 师德师风: the 2021 campaigns and cases taken as far as their status.

use super::*;

/// How far a case has gone: a decision has its sanction, days from the report and
/// findings.
#[derive(Clone, Copy)]
pub(super) enum Step {
    Reported,
    Investigating,
    Decided(Sanction, u32, &'static str),
}

/// Campaign, source, summary, reported on (month, day) and how far the case has gone.
pub(super) type CasePlan = (Option<usize>, &'static str, &'static str, (u32, u32), Step);

pub(super) const CASES: &[CasePlan] = &[
    (
        Some(0),
        "12345政务服务热线",
        "反映某小学毕业班班主任参加学生家长组织的谢师宴",
        (6, 18),
        Step::Decided(
            Sanction::Notice,
            27,
            "经查属实，该教师参加学生家长组织的谢师宴，已退还费用并作书面检讨",
        ),
    ),
    (
        Some(0),
        "专项整治自查",
        "收受学生家长赠送的购物卡",
        (9, 15),
        Step::Decided(
            Sanction::Warning,
            35,
            "经查属实，该教师收受家长购物卡2张（面值共1000元），已全部退还",
        ),
    ),
    (
        Some(0),
        "来信来访",
        "反映教师操办子女升学宴并收受学生家长礼金",
        (8, 2),
        Step::Decided(
            Sanction::Unfounded,
            30,
            "经调查核实，该教师未操办升学宴、未收受家长礼金，反映不属实",
        ),
    ),
    (
        Some(1),
        "县纪委监委转办",
        "反映教师暑假期间在校外培训机构有偿授课",
        (7, 26),
        Step::Decided(
            Sanction::Demerit,
            45,
            "经查属实，该教师暑假在校外培训机构有偿授课30余课时并收取报酬",
        ),
    ),
    (
        None,
        "学生家长举报",
        "反映教师罚学生在教室外站立",
        (4, 12),
        Step::Decided(
            Sanction::Education,
            20,
            "经查，该教师罚学生在教室外站立一节课，属变相体罚，情节轻微",
        ),
    ),
    (
        None,
        "网络舆情",
        "网帖反映教师在课堂上言语侮辱学生",
        (5, 10),
        Step::Decided(
            Sanction::Unfounded,
            18,
            "经调取课堂录像、走访学生核实，未发现言语侮辱学生情况，不属实",
        ),
    ),
    (
        Some(1),
        "以案促改自查自纠",
        "工作日午间饮酒后到校上课",
        (10, 20),
        Step::Decided(
            Sanction::Education,
            21,
            "经查属实，该教师工作日午间饮酒后到校上课，已责令书面检讨",
        ),
    ),
    (
        None,
        "12345政务服务热线",
        "反映教师向学生推销教辅资料",
        (11, 8),
        Step::Investigating,
    ),
    (
        Some(0),
        "来信来访",
        "反映毕业班教师接受学生家长宴请",
        (11, 22),
        Step::Investigating,
    ),
    (
        None,
        "学生家长举报",
        "反映教师上课期间频繁使用手机",
        (12, 1),
        Step::Investigating,
    ),
    (
        None,
        "12345政务服务热线",
        "反映教师组织学生到其亲属开办的托管机构有偿辅导",
        (12, 16),
        Step::Reported,
    ),
    (
        Some(1),
        "县教育局督导检查",
        "教师上班期间无故脱岗",
        (12, 23),
        Step::Reported,
    ),
];

/// The 2021 campaigns and cases, and the first teacher barred from awards by a case (the
/// one later proposed and not granted).
pub(super) struct Conduct {
    pub(super) campaigns: Vec<DemoCampaign>,
    pub(super) cases: Vec<DemoConductCase>,
    pub(super) barred: Option<usize>,
}

pub(super) fn conduct(rng: &mut Rng, roll: &Roll) -> Conduct {
    let campaigns = vec![
        DemoCampaign {
            name: "人情风、谢师宴专项整治".to_string(),
            started_on: date(2021, 6, 1),
            summary: "严禁教职工参加学生家长宴请、收受礼品礼金，公布举报电话和邮箱".to_string(),
        },
        DemoCampaign {
            name: "以案促改警示教育".to_string(),
            started_on: date(2021, 4, 12),
            summary: "以近年查处的师德失范典型案例为镜鉴，开展警示教育和自查自纠".to_string(),
        },
    ];
    let mut candidates: Vec<usize> = roll
        .teachers
        .iter()
        .filter(|t| t.start.year() <= 2020)
        .filter(|t| roll.schools[t.school].ownership == Ownership::Public)
        .map(|t| t.staff)
        .collect();
    shuffle(rng, &mut candidates);
    let mut cases = Vec::new();
    let mut barred = None;
    for (&(campaign, source, summary, (m, d), step), &who) in CASES.iter().zip(&candidates) {
        let reported_on = date(2021, m, d);
        let (status, decision) = match step {
            Step::Reported => (ConductStatus::Reported, None),
            Step::Investigating => (ConductStatus::Investigating, None),
            Step::Decided(sanction, days, findings) => (
                ConductStatus::Decided,
                Some((sanction, later(reported_on, days), findings)),
            ),
        };
        if barred.is_none() && decision.is_some_and(|(s, _, _)| s.bars_awards()) {
            barred = Some(who);
        }
        cases.push(DemoConductCase {
            id_number: roll.staff[who].id_number.clone(),
            campaign,
            reported_on,
            source: source.to_string(),
            summary: summary.to_string(),
            status,
            findings: decision.map(|(_, _, f)| f.to_string()),
            sanction: decision.map(|(s, _, _)| s),
            decided_on: decision.map(|(_, on, _)| on),
        });
    }
    Conduct {
        campaigns,
        cases,
        barred,
    }
}
