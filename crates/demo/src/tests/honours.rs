//! 荣誉与竞赛: the 2021 titled schools and the results, counted from the generated records by
//! the system's own rules (`titled_as`, `summarise`), and every person on the county's rolls.

use super::*;
use emis_domain::honours::{summarise, titled_as, Placing, TITLED};

#[test]
fn honours_give_the_summary_figures_of_2021() {
    let d = demo();
    let mut titled: HashMap<&str, HashSet<&str>> = HashMap::new();
    for h in &d.honours {
        if let Some(code) = titled_as(h.subject_kind, h.title) {
            titled.entry(code).or_default().insert(&h.subject_key);
        }
    }
    let counts: Vec<usize> = TITLED
        .iter()
        .map(|c| titled.get(c).map_or(0, HashSet::len))
        .collect();
    assert_eq!(counts, [7, 2, 7]);
    let summary = summarise(d.honours.iter().filter_map(|h| {
        Some(Placing {
            event: h.title,
            level: h.level,
            prize: h.prize.as_deref()?,
        })
    }));
    let count = |event: &str, prize: &str| {
        summary
            .iter()
            .find(|c| c.event == event && c.prize == prize)
            .map_or(0, |c| c.count)
    };
    assert_eq!(count("怀化市中小学艺术展演", "一等奖"), 23);
    assert_eq!(count("怀化市中小学艺术展演", "二等奖"), 16);
    assert_eq!(count("怀化市中小学艺术展演", "三等奖"), 11);
    assert_eq!(count("怀化市中小学艺术展演", "第5名"), 1);
    assert_eq!(count("怀化市初中学生篮球比赛", "第1名"), 1);
    assert_eq!(count("怀化市初中学生篮球比赛", "第3名"), 1);
    assert_eq!(count("怀化市第六届运动会田径比赛", "第2名"), 1);
    assert_eq!(count("湖南省职业院校技能竞赛", "一等奖"), 2);
    assert_eq!(count("湖南省职业院校技能竞赛", "二等奖"), 4);
    assert_eq!(count("湖南省职业院校技能竞赛", "三等奖"), 5);
    assert_eq!(count("湖南省职业院校教师职业能力竞赛", "二等奖"), 1);
}

#[test]
fn every_person_honoured_is_on_a_roll_of_the_county() {
    let d = demo();
    let pupils: HashSet<&str> = d.students.iter().map(|s| s.id_number.as_str()).collect();
    let staff: HashSet<&str> = d.staff.iter().map(|m| m.id_number.as_str()).collect();
    let mut seen = HashSet::new();
    for h in &d.honours {
        match h.subject_kind {
            emis_domain::honours::SubjectKind::Student => {
                assert!(pupils.contains(h.subject_key.as_str()))
            }
            emis_domain::honours::SubjectKind::Teacher => {
                assert!(staff.contains(h.subject_key.as_str()))
            }
            _ => {}
        }
        // Stored once each: no two records share the register's key.
        assert!(seen.insert((
            h.subject_kind,
            &h.subject_key,
            h.title,
            h.event,
            h.granted_on
        )));
    }
}
