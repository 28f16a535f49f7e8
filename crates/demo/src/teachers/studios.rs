//! 名师名校长工作室 and 学科工作室 with hosts, members and activities.

use super::*;

/// 学科工作室 subjects: the first [`SUBJECT_STUDIOS`] are active, the last closed in 2021.
pub(super) const STUDIO_SUBJECTS: [&str; SUBJECT_STUDIOS + 1] = [
    "小学语文",
    "小学数学",
    "小学英语",
    "小学科学",
    "小学道德与法治",
    "小学体育",
    "小学音乐",
    "小学美术",
    "初中语文",
    "初中数学",
    "初中英语",
    "初中物理",
    "初中化学",
    "初中生物",
    "初中道德与法治",
    "初中历史",
    "初中地理",
    "高中语文",
    "高中数学",
    "高中英语",
    "高中物理",
    "高中化学",
    "学前教育",
    "特殊教育",
    "小学信息技术",
];

pub(super) const ACTIVITIES: &[&str] = &[
    "{}课堂教学研讨活动",
    "{}同课异构教研活动",
    "青年教师汇报课展示",
    "“双减”背景下的作业设计专题研讨",
    "工作室成员读书分享会",
    "课题研究开题论证会",
    "期末复习备考专题研讨",
    "名师示范课观摩",
    "{}教学设计评比活动",
    "新课标专题讲座",
];

pub(super) fn title_weight(title: Option<&str>) -> f64 {
    match title {
        Some("正高级教师") => 4.0,
        Some("高级教师") => 3.0,
        Some("一级教师") => 1.0,
        _ => 0.1,
    }
}

pub(super) fn studio_label(band: Band, subject: &str) -> String {
    match band {
        Band::Preschool => "学前教育".to_string(),
        Band::Special => "特殊教育".to_string(),
        Band::Primary => format!("小学{subject}"),
        Band::Junior => format!("初中{subject}"),
        Band::Senior => format!("高中{subject}"),
        Band::Vocational => format!("中职{subject}"),
    }
}

pub(super) fn activities(
    rng: &mut Rng,
    label: &str,
    members: usize,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<DemoActivity> {
    let n = between(rng, 3, 10) as usize;
    let mut days: Vec<NaiveDate> = (0..n).map(|_| date_between(rng, from, to)).collect();
    days.sort();
    // Distinct titles: the list (homework and exams not for kindergartens and special
    // education) and 送教下乡 to a few townships.
    let young = matches!(label, "学前教育" | "特殊教育");
    let mut titles: Vec<String> = ACTIVITIES
        .iter()
        .filter(|a| !(young && (a.contains("作业") || a.contains("复习"))))
        .map(|a| a.replace("{}", label))
        .collect();
    let mut townships: Vec<&str> = XUPU
        .townships
        .iter()
        .filter(|t| !t.urban)
        .map(|t| t.name)
        .collect();
    shuffle(rng, &mut townships);
    titles.extend(
        townships
            .iter()
            .take(3)
            .map(|t| format!("送教下乡活动（{t}）")),
    );
    shuffle(rng, &mut titles);
    days.into_iter()
        .zip(titles)
        .map(|(held_on, title)| DemoActivity {
            held_on,
            title,
            participants: members as u32 + 1 + between(rng, 0, 40),
        })
        .collect()
}

pub(super) fn studios(rng: &mut Rng, roll: &Roll) -> Vec<DemoStudio> {
    let jan = date(2021, 1, 4);
    let mut hosts: HashSet<usize> = HashSet::new();
    let mut out = Vec::new();
    // 名师工作室: senior-titled teachers of public schools, one subject each.
    let mut subjects: HashSet<&str> = HashSet::new();
    while out.len() < MASTER_STUDIOS {
        let weights: Vec<f64> = roll
            .teachers
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let s = &roll.staff[t.staff];
                let public = roll.schools[t.school].ownership == Ownership::Public;
                let senior = matches!(s.title.as_deref(), Some("高级教师" | "正高级教师"));
                if public && senior && !hosts.contains(&i) && !subjects.contains(t.subject) {
                    title_weight(s.title.as_deref())
                } else {
                    0.0
                }
            })
            .collect();
        let Some(host) = choose_weighted_mask(rng, &weights, 1)
            .iter()
            .position(|&m| m)
        else {
            break;
        };
        let h = &roll.teachers[host];
        hosts.insert(host);
        subjects.insert(h.subject);
        let mut pool: Vec<usize> = (0..roll.teachers.len())
            .filter(|&i| i != host && roll.teachers[i].subject == h.subject)
            .filter(|&i| roll.teachers[i].band == h.band)
            .collect();
        if pool.len() < 8 {
            pool = (0..roll.teachers.len())
                .filter(|&i| i != host && roll.teachers[i].subject == h.subject)
                .collect();
        }
        let n = (between(rng, 5, 12) as usize).min(pool.len());
        let members = draw(rng, roll, &pool, n);
        let founded = date_between(rng, date(2016, 3, 1), date(2020, 10, 31));
        let label = studio_label(h.band, h.subject);
        out.push(DemoStudio {
            name: format!("{}名师工作室", roll.staff[h.staff].name),
            kind: StudioKind::Master,
            subject: Some(label.clone()),
            host_id_number: roll.id(host).to_string(),
            founded,
            closed: None,
            activities: activities(rng, &label, members.len(), jan, date(2021, 12, 20)),
            members: members.iter().map(|&m| roll.id(m).to_string()).collect(),
        });
    }
    // 学科工作室.
    for (k, label) in STUDIO_SUBJECTS.iter().enumerate() {
        let (band, subject) = label_band(label);
        let mut pool: Vec<usize> = (0..roll.teachers.len())
            .filter(|&i| roll.teachers[i].band == band && roll.teachers[i].subject == subject)
            .collect();
        if pool.len() < 8 {
            pool = (0..roll.teachers.len())
                .filter(|&i| roll.teachers[i].band == band)
                .collect();
        }
        pool.retain(|i| !hosts.contains(i));
        let weights: Vec<f64> = pool
            .iter()
            .map(|&i| {
                let t = &roll.teachers[i];
                if t.start.year() <= 2015 {
                    title_weight(roll.staff[t.staff].title.as_deref())
                } else {
                    0.01
                }
            })
            .collect();
        let Some(at) = choose_weighted_mask(rng, &weights, 1)
            .iter()
            .position(|&m| m)
        else {
            continue;
        };
        let host = pool.remove(at);
        hosts.insert(host);
        let n = (between(rng, 5, 12) as usize).min(pool.len());
        let members = draw(rng, roll, &pool, n);
        let closing = k == SUBJECT_STUDIOS;
        let (founded, closed) = if closing {
            (date(2018, 9, 10), Some(date(2021, 7, 15)))
        } else {
            (date_between(rng, date(2018, 3, 1), date(2021, 4, 30)), None)
        };
        let from = later(founded, 1).max(jan);
        let to = closed.unwrap_or(date(2021, 12, 20));
        out.push(DemoStudio {
            name: format!("溆浦县{label}学科工作室"),
            kind: StudioKind::Subject,
            subject: Some(label.to_string()),
            host_id_number: roll.id(host).to_string(),
            founded,
            closed,
            activities: activities(rng, label, members.len(), from, to),
            members: members.iter().map(|&m| roll.id(m).to_string()).collect(),
        });
    }
    out
}
