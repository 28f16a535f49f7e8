//! The 2021 awards: five titles at one amount each, adding up to the fund.

use super::*;

/// Who may receive an award.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Awardee {
    Teacher,
    RuralTeacher,
    Veteran,
    Admin,
}

/// Title, number granted, amount in yuan, granting body, who: 229 awards, 2,000,000 yuan.
pub(super) const AWARDS: [(&str, usize, i64, &str, Awardee); 5] = [
    ("优秀教师", 150, 6_700, "溆浦县教育局", Awardee::Teacher),
    (
        "最美乡村教师",
        30,
        20_000,
        "溆浦县人民政府",
        Awardee::RuralTeacher,
    ),
    ("优秀校长", 20, 10_000, "溆浦县人民政府", Awardee::Admin),
    ("师德楷模", 10, 10_000, "溆浦县人民政府", Awardee::Veteran),
    ("优秀督办主任", 19, 5_000, "溆浦县教育局", Awardee::Admin),
];

pub(super) fn eligible(roll: &Roll, i: usize, who: Awardee) -> bool {
    let s = &roll.staff[i];
    let school = &roll.schools[roll.school_of[i]];
    let start = s.start_date.map_or(2021, |d| d.year());
    school.ownership == Ownership::Public
        && match who {
            Awardee::Teacher => s.post_type == PostType::Teacher && start <= 2018,
            Awardee::RuralTeacher => {
                s.post_type == PostType::Teacher
                    && school.urban_rural == UrbanRural::Rural
                    && start <= 2006
            }
            Awardee::Veteran => s.post_type == PostType::Teacher && start <= 2001,
            Awardee::Admin => s.post_type == PostType::Admin,
        }
}

pub(super) fn awards(
    rng: &mut Rng,
    roll: &Roll,
    cases: &[DemoConductCase],
    barred: Option<usize>,
) -> Vec<DemoAward> {
    let in_cases: HashSet<&str> = cases.iter().map(|c| c.id_number.as_str()).collect();
    let mut taken: HashSet<usize> = HashSet::new();
    let mut principals: HashSet<usize> = HashSet::new();
    let mut out = Vec::new();
    let teachers_day = date(2021, 9, 10);
    for (title, count, yuan, body, who) in AWARDS {
        let mut candidates: Vec<usize> = (0..roll.staff.len())
            .filter(|&i| {
                eligible(roll, i, who)
                    && !taken.contains(&i)
                    && !in_cases.contains(roll.staff[i].id_number.as_str())
            })
            .collect();
        shuffle(rng, &mut candidates);
        let mut chosen = 0;
        for i in candidates {
            if chosen == count {
                break;
            }
            // One 优秀校长 per school.
            if title == "优秀校长" && !principals.insert(roll.school_of[i]) {
                continue;
            }
            taken.insert(i);
            chosen += 1;
            out.push(DemoAward {
                id_number: roll.staff[i].id_number.clone(),
                title: title.to_string(),
                granting_body: body.to_string(),
                granted_on: if title == "优秀督办主任" {
                    date(2021, 12, 28)
                } else {
                    teachers_day
                },
                fen: yuan * 100,
                granted: true,
            });
        }
    }
    // Proposals not granted: one barred by a sanction (师德失范一票否决), the rest sent back.
    let mut refused: Vec<usize> = barred.into_iter().collect();
    let mut others: Vec<usize> = (0..roll.staff.len())
        .filter(|&i| {
            eligible(roll, i, Awardee::Teacher)
                && !taken.contains(&i)
                && !in_cases.contains(roll.staff[i].id_number.as_str())
        })
        .collect();
    shuffle(rng, &mut others);
    refused.extend(others.into_iter().take(10 - refused.len()));
    for i in refused {
        let (title, _, yuan, body, _) = AWARDS[0];
        out.push(DemoAward {
            id_number: roll.staff[i].id_number.clone(),
            title: title.to_string(),
            granting_body: body.to_string(),
            granted_on: date(2021, 8, between(rng, 16, 31)),
            fen: yuan * 100,
            granted: false,
        });
    }
    out
}
