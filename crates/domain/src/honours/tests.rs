use super::*;
use proptest::prelude::*;

#[test]
fn titled_schools_are_read_from_the_title() {
    let school = SubjectKind::School;
    assert_eq!(
        titled_as(school, "全国青少年校园足球特色学校"),
        Some("schools.titled.football")
    );
    assert_eq!(
        titled_as(school, "全国青少年校园篮球特色学校"),
        Some("schools.titled.basketball")
    );
    assert_eq!(
        titled_as(school, "书香校园"),
        Some("schools.titled.reading")
    );
    assert_eq!(titled_as(school, "市级思政课改革示范学校"), None);
    // A teacher's honour is never a school's title.
    assert_eq!(titled_as(SubjectKind::Teacher, "书香校园"), None);
}

#[test]
fn prizes_read_as_written() {
    assert_eq!(parse_prize("一等奖").as_deref(), Some("一等奖"));
    assert_eq!(parse_prize("第一名").as_deref(), Some("第1名"));
    assert_eq!(parse_prize("团体总分第二名").as_deref(), Some("第2名"));
    assert_eq!(parse_prize("第５名").as_deref(), Some("第5名"));
    assert_eq!(parse_prize("第0名"), None);
    assert_eq!(parse_prize("很好"), None);
}

#[test]
fn results_are_summarised_by_event_level_and_prize() {
    let r = |event, level, prize| Placing {
        event,
        level,
        prize,
    };
    let summary = summarise([
        r("艺术展演", Level::City, "二等奖"),
        r("艺术展演", Level::City, "一等奖"),
        r("篮球比赛", Level::City, "第1名"),
        r("艺术展演", Level::City, "一等奖"),
        r("篮球比赛", Level::City, "第3名"),
    ]);
    let shown: Vec<(&str, &str, u32)> = summary
        .iter()
        .map(|c| (c.event.as_str(), c.prize.as_str(), c.count))
        .collect();
    assert_eq!(
        shown,
        [
            ("艺术展演", "一等奖", 2),
            ("艺术展演", "二等奖", 1),
            ("篮球比赛", "第1名", 1),
            ("篮球比赛", "第3名", 1),
        ]
    );
}

proptest! {
    #[test]
    fn a_summary_counts_every_result_once(prizes in proptest::collection::vec(0usize..4, 0..60)) {
        const P: [&str; 4] = ["一等奖", "二等奖", "三等奖", "第2名"];
        let summary = summarise(prizes.iter().map(|i| Placing {
            event: "艺术展演",
            level: Level::City,
            prize: P[*i],
        }));
        prop_assert_eq!(summary.iter().map(|c| c.count as usize).sum::<usize>(), prizes.len());
    }

    #[test]
    fn rank_prizes_round_trip(n in 1u32..=100) {
        let shown = format!("第{n}名");
        prop_assert_eq!(parse_prize(&shown), Some(shown.clone()));
    }
}
