//! The demo county's honours and competition results of 2021, as the offices would have
//! recorded them: 7 national campus-football and 2 basketball schools, 7 书香校园, the 思政课
//! model schools and a 温馨校园 case; the city basketball (boys 1st, girls 3rd), athletics
//! (team 2nd) and arts (team 5th; 23 / 16 / 11 first, second and third prizes to pupils);
//! the provincial vocational skills contest (2 / 4 / 5) and one teacher's second prize.
//! Schools are chosen by type in code order and people from the autumn roll and the staff
//! of their school, so the records are the same for the same county.

use chrono::NaiveDate;
use emis_domain::honours::{HonourKind, Level, SubjectKind};
use emis_domain::registry::{School, SchoolType, StaffRecord, StudentRecord, StudentStatus};
use emis_domain::term::Term;

/// One honour or result, as the register keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoHonour {
    pub subject_kind: SubjectKind,
    /// The school's code, the person's ID number or the team's name.
    pub subject_key: String,
    pub school_code: Option<String>,
    pub person_name: Option<String>,
    pub title: &'static str,
    pub kind: HonourKind,
    pub level: Level,
    pub granted_by: &'static str,
    pub granted_on: NaiveDate,
    pub prize: Option<String>,
    pub event: &'static str,
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, m, d).expect("a calendar day")
}

/// The arts showcase's items, prizes spread over them in turn.
const ARTS_ITEMS: [&str; 6] = ["独唱", "舞蹈", "器乐", "朗诵", "书法", "绘画"];
/// The vocational skills contest's items.
const SKILLS_ITEMS: [&str; 4] = ["汽车维修", "电子商务", "计算机网络", "烹饪"];

pub fn generate(
    schools: &[School],
    students: &[StudentRecord],
    staff: &[StaffRecord],
) -> Vec<DemoHonour> {
    let mut sorted: Vec<&School> = schools.iter().collect();
    sorted.sort_by(|a, b| a.code.cmp(&b.code));
    let of = |types: &[SchoolType]| -> Vec<&School> {
        sorted
            .iter()
            .copied()
            .filter(|s| types.contains(&s.school_type))
            .collect()
    };
    let named = |stem: &str| sorted.iter().copied().find(|s| s.name.contains(stem));
    let mut out = Vec::new();
    let school = |s: &School,
                  title: &'static str,
                  kind: HonourKind,
                  level: Level,
                  granted_by: &'static str,
                  on: NaiveDate| DemoHonour {
        subject_kind: SubjectKind::School,
        subject_key: s.code.clone(),
        school_code: Some(s.code.clone()),
        person_name: None,
        title,
        kind,
        level,
        granted_by,
        granted_on: on,
        prize: None,
        event: "",
    };
    // Football at junior and nine-year schools, basketball at two others, 书香校园 at primaries.
    let secondary = of(&[SchoolType::Junior, SchoolType::NineYear]);
    for s in secondary.iter().take(7) {
        out.push(school(
            s,
            "全国青少年校园足球特色学校",
            HonourKind::Featured,
            Level::National,
            "教育部",
            day(11, 20),
        ));
    }
    for s in secondary.iter().skip(7).take(2) {
        out.push(school(
            s,
            "全国青少年校园篮球特色学校",
            HonourKind::Featured,
            Level::National,
            "教育部",
            day(11, 20),
        ));
    }
    for s in of(&[SchoolType::Primary]).iter().take(7) {
        out.push(school(
            s,
            "书香校园",
            HonourKind::Title,
            Level::City,
            "怀化市教育局",
            day(6, 1),
        ));
    }
    if let Some(s) = named("卢峰镇中学") {
        out.push(school(
            s,
            "市级思政课改革示范学校",
            HonourKind::Title,
            Level::City,
            "怀化市教育局",
            day(9, 10),
        ));
    }
    for stem in ["第一中学", "警予学校"] {
        if let Some(s) = named(stem) {
            out.push(school(
                s,
                "县级思政课教学示范校",
                HonourKind::Title,
                Level::County,
                "溆浦县教育局",
                day(9, 10),
            ));
        }
    }
    if let Some(s) = sorted
        .iter()
        .copied()
        .find(|s| s.name.starts_with("龙潭镇") && s.school_type == SchoolType::Primary)
    {
        out.push(school(
            s,
            "湖南省乡村温馨校园典型案例学校",
            HonourKind::Title,
            Level::Provincial,
            "湖南省教育厅",
            day(12, 8),
        ));
    }
    let team = |name: &'static str,
                title: &'static str,
                granted_by: &'static str,
                on: NaiveDate,
                prize: &str,
                event: &'static str| DemoHonour {
        subject_kind: SubjectKind::Team,
        subject_key: name.to_string(),
        school_code: None,
        person_name: None,
        title,
        kind: HonourKind::Competition,
        level: Level::City,
        granted_by,
        granted_on: on,
        prize: Some(prize.to_string()),
        event,
    };
    out.push(team(
        "溆浦县初中男子篮球队",
        "怀化市初中学生篮球比赛",
        "怀化市教育局",
        day(5, 20),
        "第1名",
        "男子组",
    ));
    out.push(team(
        "溆浦县初中女子篮球队",
        "怀化市初中学生篮球比赛",
        "怀化市教育局",
        day(5, 20),
        "第3名",
        "女子组",
    ));
    out.push(team(
        "溆浦县代表队",
        "怀化市第六届运动会田径比赛",
        "怀化市人民政府",
        day(8, 6),
        "第2名",
        "团体总分",
    ));
    out.push(team(
        "溆浦县代表队",
        "怀化市中小学艺术展演",
        "怀化市教育局",
        day(10, 15),
        "第5名",
        "团体总分",
    ));
    // Pupils' prizes: one pupil each, in code order of school, taken from the autumn roll.
    let autumn = Term::autumn(2021);
    let pupil = |s: &StudentRecord, title, level, granted_by, on, prize: &str, event| DemoHonour {
        subject_kind: SubjectKind::Student,
        subject_key: s.id_number.clone(),
        school_code: Some(s.school_code.clone()),
        person_name: Some(s.name.clone()),
        title,
        kind: HonourKind::Competition,
        level,
        granted_by,
        granted_on: on,
        prize: Some(prize.to_string()),
        event,
    };
    let mut pupils: Vec<&StudentRecord> = students
        .iter()
        .filter(|s| s.term == autumn && s.status == StudentStatus::Enrolled)
        .filter(|s| s.grade.is_compulsory())
        .collect();
    pupils.sort_by(|a, b| (&a.school_code, &a.id_number).cmp(&(&b.school_code, &b.id_number)));
    let step = (pupils.len() / 50).max(1);
    let prizes = std::iter::repeat_n("一等奖", 23)
        .chain(std::iter::repeat_n("二等奖", 16))
        .chain(std::iter::repeat_n("三等奖", 11));
    for (i, (prize, s)) in prizes.zip(pupils.iter().step_by(step)).enumerate() {
        out.push(pupil(
            s,
            "怀化市中小学艺术展演",
            Level::City,
            "怀化市教育局",
            day(10, 15),
            prize,
            ARTS_ITEMS[i % ARTS_ITEMS.len()],
        ));
    }
    // The vocational school's pupils at the provincial skills contest, and one teacher.
    if let Some(vocational) = of(&[SchoolType::Vocational]).first() {
        let mut trainees: Vec<&StudentRecord> = students
            .iter()
            .filter(|s| s.term == autumn && s.school_code == vocational.code)
            .filter(|s| s.status == StudentStatus::Enrolled)
            .collect();
        trainees.sort_by(|a, b| a.id_number.cmp(&b.id_number));
        let prizes = std::iter::repeat_n("一等奖", 2)
            .chain(std::iter::repeat_n("二等奖", 4))
            .chain(std::iter::repeat_n("三等奖", 5));
        for (i, (prize, s)) in prizes.zip(trainees).enumerate() {
            out.push(pupil(
                s,
                "湖南省职业院校技能竞赛",
                Level::Provincial,
                "湖南省教育厅",
                day(5, 28),
                prize,
                SKILLS_ITEMS[i % SKILLS_ITEMS.len()],
            ));
        }
        let mut teachers: Vec<&StaffRecord> = staff
            .iter()
            .filter(|m| m.school_code == vocational.code)
            .collect();
        teachers.sort_by(|a, b| a.id_number.cmp(&b.id_number));
        if let Some(m) = teachers.first() {
            out.push(DemoHonour {
                subject_kind: SubjectKind::Teacher,
                subject_key: m.id_number.clone(),
                school_code: Some(m.school_code.clone()),
                person_name: Some(m.name.clone()),
                title: "湖南省职业院校教师职业能力竞赛",
                kind: HonourKind::Competition,
                level: Level::Provincial,
                granted_by: "湖南省教育厅",
                granted_on: day(11, 26),
                prize: Some("二等奖".into()),
                event: "",
            });
        }
    }
    out
}
