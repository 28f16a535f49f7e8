use super::*;
use crate::registry::{Ownership, Sex, StudentStatus};
use chrono::NaiveDate;
use proptest::prelude::*;

fn school(code: &str, school_type: SchoolType, setting: UrbanRural) -> School {
    School {
        code: code.to_string(),
        name: format!("学校{code}"),
        school_type,
        township_code: "431224100".to_string(),
        urban_rural: setting,
        ownership: Ownership::Public,
        boarding: true,
    }
}

fn schools() -> Vec<School> {
    vec![
        school("R", SchoolType::NineYear, UrbanRural::Rural),
        school("U", SchoolType::NineYear, UrbanRural::Urban),
        school("H", SchoolType::Senior, UrbanRural::Urban),
        school("V", SchoolType::Vocational, UrbanRural::Urban),
        school("K", SchoolType::Kindergarten, UrbanRural::Town),
    ]
}

fn student(
    id: &str,
    school: &str,
    grade: Grade,
    hardship: Hardship,
    boarding: bool,
) -> StudentRecord {
    StudentRecord {
        school_code: school.to_string(),
        name: format!("学生{id}"),
        sex: Sex::Male,
        id_number: id.to_string(),
        student_no: None,
        grade,
        class_number: 1,
        birth_date: NaiveDate::from_ymd_opt(2010, 1, 1).unwrap_or_default(),
        ethnicity: None,
        household_township: None,
        boarding,
        hardship,
        disability: None,
        status: StudentStatus::Enrolled,
        term: Term::spring(2021),
        national: Default::default(),
    }
}

/// The (policy, fen) a single student-term is entitled to.
fn entitled(s: StudentRecord) -> Vec<(String, i64)> {
    sorted(
        entitlements(&catalog_2021(), &[s], &schools())
            .into_iter()
            .map(|e| (e.policy, e.fen))
            .collect(),
    )
}

fn pairs(list: &[(&str, i64)]) -> Vec<(String, i64)> {
    let mut v: Vec<(String, i64)> = list.iter().map(|(c, f)| (c.to_string(), *f)).collect();
    v.sort();
    v
}

fn sorted(mut v: Vec<(String, i64)>) -> Vec<(String, i64)> {
    v.sort();
    v
}

#[test]
fn nutrition_pays_rural_compulsory_students_by_the_day() {
    let s = student("1", "R", Grade::G3, Hardship::None, false);
    assert_eq!(entitled(s.clone()), pairs(&[("nutrition", 40_000)]));
    let autumn = StudentRecord {
        term: Term::autumn(2021),
        ..s
    };
    assert_eq!(entitled(autumn), pairs(&[("nutrition", 50_000)]));
    assert!(entitled(student("2", "U", Grade::G3, Hardship::None, false)).is_empty());
}

#[test]
fn boarding_subsidy_by_stage() {
    let p = student("1", "U", Grade::G3, Hardship::Other, true);
    assert_eq!(entitled(p), pairs(&[("boarding", 50_000)]));
    let j = student("2", "U", Grade::G8, Hardship::Dibao, true);
    assert_eq!(entitled(j), pairs(&[("boarding", 62_500)]));
    assert!(entitled(student("3", "U", Grade::G8, Hardship::None, true)).is_empty());
}

#[test]
fn non_boarding_half_for_listed_groups_only() {
    let j = student("1", "U", Grade::G7, Hardship::LiftedOut, false);
    assert_eq!(entitled(j), pairs(&[("non_boarding", 31_250)]));
    let p = student("2", "U", Grade::G1, Hardship::Disabled, false);
    assert_eq!(entitled(p), pairs(&[("non_boarding", 25_000)]));
    // 其他困难 and 孤儿 are not among the listed groups of the non-boarding row.
    assert!(entitled(student("3", "U", Grade::G1, Hardship::Other, false)).is_empty());
    let rural = student("4", "R", Grade::G1, Hardship::Tekun, false);
    assert_eq!(
        entitled(rural),
        pairs(&[("nutrition", 40_000), ("non_boarding", 25_000)])
    );
}

#[test]
fn senior_grant_tiers_and_fee_waiver() {
    let t = student("1", "H", Grade::S2, Hardship::Tekun, true);
    assert_eq!(
        entitled(t),
        pairs(&[("senior_grant", 150_000), ("senior_fee", 80_000)])
    );
    let l = student("2", "H", Grade::S1, Hardship::LiftedOut, false);
    assert_eq!(
        entitled(l),
        pairs(&[("senior_grant", 100_000), ("senior_fee", 80_000)])
    );
    let o = student("3", "H", Grade::S3, Hardship::Other, false);
    assert_eq!(entitled(o), pairs(&[("senior_grant", 50_000)]));
    assert!(entitled(student("4", "H", Grade::S3, Hardship::None, false)).is_empty());
}

#[test]
fn vocational_fee_grant_and_yulu() {
    let none3 = student("1", "V", Grade::S3, Hardship::None, true);
    assert_eq!(entitled(none3), pairs(&[("vocational_fee", 150_000)]));
    let lifted1 = student("2", "V", Grade::S1, Hardship::LiftedOut, true);
    assert_eq!(
        sorted(entitled(lifted1)),
        pairs(&[
            ("vocational_fee", 150_000),
            ("vocational_grant", 100_000),
            ("yulu", 150_000)
        ])
    );
    // Year 3 gets no 助学金.
    let lifted3 = student("3", "V", Grade::S3, Hardship::LiftedOut, true);
    assert_eq!(
        sorted(entitled(lifted3)),
        pairs(&[("vocational_fee", 150_000), ("yulu", 150_000)])
    );
}

#[test]
fn preschool_aid_with_quota_by_priority() {
    let a = student("1", "K", Grade::Middle, Hardship::Orphan, false);
    assert_eq!(entitled(a.clone()), pairs(&[("preschool", 50_000)]));
    let mut disabled = student("2", "K", Grade::Middle, Hardship::None, false);
    disabled.disability = Some("听力残疾".into());
    assert_eq!(entitled(disabled.clone()), pairs(&[("preschool", 50_000)]));
    let b = student("3", "K", Grade::Nursery, Hardship::LiftedOut, false);
    let mut catalog = catalog_2021();
    for p in &mut catalog {
        if p.code == "preschool" {
            p.quota = Some(Quota {
                spring: 2,
                autumn: 0,
            });
        }
    }
    let got: Vec<String> = entitlements(&catalog, &[a, disabled, b], &schools())
        .into_iter()
        .map(|e| e.id_number)
        .collect();
    // 脱贫 (priority 0) and 孤儿 (1) fill the two places before 残疾 (3).
    assert_eq!(got, vec!["1".to_string(), "3".to_string()]);
}

/// The national sheet's 孤儿 flag counts as the hardship type 孤儿 when none is recorded:
/// an orphan child in kindergarten and an orphan senior student are funded without a
/// 家庭经济困难认定 yet; a recorded type is not overridden.
#[test]
fn the_orphan_flag_of_the_national_sheet_makes_an_orphan() {
    let mut child = student("1", "K", Grade::Middle, Hardship::None, false);
    assert!(entitled(child.clone()).is_empty());
    child.national.orphan = Some(true);
    assert_eq!(child.effective_hardship(), Hardship::Orphan);
    assert_eq!(entitled(child), pairs(&[("preschool", 50_000)]));
    let mut senior = student("2", "H", Grade::S2, Hardship::None, false);
    senior.national.orphan = Some(true);
    assert_eq!(entitled(senior), pairs(&[("senior_grant", 150_000)]));
    let mut lifted = student("3", "H", Grade::S1, Hardship::LiftedOut, false);
    lifted.national.orphan = Some(true);
    assert_eq!(lifted.effective_hardship(), Hardship::LiftedOut);
    let mut not = student("4", "K", Grade::Middle, Hardship::None, false);
    not.national.orphan = Some(false);
    assert!(entitled(not).is_empty());
}

#[test]
fn suspended_and_other_years_are_not_eligible() {
    let mut s = student("1", "R", Grade::G3, Hardship::None, false);
    s.status = StudentStatus::Suspended;
    assert!(entitled(s).is_empty());
    let mut old = student("2", "R", Grade::G3, Hardship::None, false);
    old.term = Term::spring(2020);
    assert!(entitled(old).is_empty());
}

fn pay(id: &str, policy: &str, fen: i64, school: Option<&str>) -> Payment {
    Payment {
        id_number: id.to_string(),
        policy: policy.to_string(),
        term: Term::spring(2021),
        fen,
        school_code: school.map(str::to_string),
    }
}

fn setting() -> (
    Vec<Policy>,
    Vec<StudentRecord>,
    Vec<School>,
    Vec<Entitlement>,
) {
    let policies = catalog_2021();
    let roll = vec![
        student("A", "R", Grade::G3, Hardship::None, false),
        student("B", "U", Grade::G8, Hardship::Dibao, true),
        student("C", "U", Grade::G2, Hardship::None, false),
    ];
    let schools = schools();
    let e = entitlements(&policies, &roll, &schools);
    (policies, roll, schools, e)
}

#[test]
fn no_gaps_when_everyone_is_paid_what_they_are_owed() {
    let (policies, roll, schools, e) = setting();
    let payments: Vec<Payment> = e
        .iter()
        .map(|e| pay(&e.id_number, &e.policy, e.fen, Some(&e.school_code)))
        .collect();
    assert!(gaps(&policies, &e, &roll, &schools, &payments).is_empty());
    let s = summarize(&payments);
    assert_eq!(s.person_times, 2);
    assert_eq!(s.fen, 40_000 + 62_500);
}

#[test]
fn gap_missed() {
    let (policies, roll, schools, e) = setting();
    let g = gaps(
        &policies,
        &e,
        &roll,
        &schools,
        &[pay("A", "nutrition", 40_000, None)],
    );
    assert_eq!(g.missed.len(), 1);
    assert_eq!(g.missed[0].id_number, "B");
    assert_eq!(g.missed[0].policy, "boarding");
}

#[test]
fn gap_not_eligible_and_wrong_amount() {
    let (policies, roll, schools, e) = setting();
    let payments = vec![
        pay("A", "nutrition", 40_000, None),
        pay("B", "boarding", 50_000, None), // 初中 is 625 a term
        pay("C", "boarding", 50_000, None), // not a hardship boarder
    ];
    let g = gaps(&policies, &e, &roll, &schools, &payments);
    let ids: Vec<&str> = g
        .not_eligible
        .iter()
        .map(|p| p.id_number.as_str())
        .collect();
    assert_eq!(ids, vec!["B", "C"]);
    assert!(g.missed.is_empty());
}

#[test]
fn gap_duplicates() {
    let (policies, roll, schools, e) = setting();
    let payments = vec![
        pay("A", "nutrition", 40_000, None),
        pay("A", "nutrition", 40_000, None),
        pay("B", "boarding", 62_500, None),
    ];
    let g = gaps(&policies, &e, &roll, &schools, &payments);
    assert_eq!(g.duplicates.len(), 1);
    assert_eq!(g.duplicates[0].len(), 2);
    assert_eq!(summarize(&payments).person_times, 2);
}

#[test]
fn gap_two_schools() {
    let (policies, roll, schools, e) = setting();
    let payments = vec![
        pay("A", "nutrition", 40_000, Some("R")),
        pay("B", "boarding", 62_500, Some("U")),
        pay("B", "non_boarding", 31_250, Some("R")),
    ];
    let g = gaps(&policies, &e, &roll, &schools, &payments);
    assert_eq!(g.two_schools.len(), 1);
    assert_eq!(g.two_schools[0][0].id_number, "B");
}

#[test]
fn gap_off_roll() {
    let (policies, mut roll, schools, e) = setting();
    roll[2].status = StudentStatus::TransferredOut;
    let payments = vec![
        pay("C", "nutrition", 40_000, None),
        pay("Z", "nutrition", 40_000, None),
    ];
    let g = gaps(&policies, &e, &roll, &schools, &payments);
    assert_eq!(g.off_roll.len(), 2);
}

#[test]
fn yuan_round_trip() {
    assert_eq!(yuan(31_250), "312.50");
    assert_eq!(yuan(4_982_490_000), "49824900.00");
    assert_eq!(parse_yuan("312.5"), Some(31_250));
    assert_eq!(parse_yuan("1,000"), Some(100_000));
    assert_eq!(parse_yuan("１０００.００"), Some(100_000));
    assert_eq!(parse_yuan("-5"), None);
    assert_eq!(parse_yuan("1.234"), None);
}

#[test]
fn catalog_serializes_as_data() {
    let json = serde_json_like(&catalog_2021());
    assert!(json.contains("nutrition"));
}

fn serde_json_like(c: &[Policy]) -> String {
    format!("{c:?}")
}

fn arb_hardship() -> impl Strategy<Value = Hardship> {
    prop::sample::select(Hardship::ALL.to_vec())
}

fn arb_grade() -> impl Strategy<Value = Grade> {
    prop::sample::select(Grade::ALL.to_vec())
}

proptest! {
    /// Paying exactly the entitlements leaves no gap, and dropping one payment leaves
    /// exactly that one missed.
    #[test]
    fn paying_entitlements_closes_every_gap(
        facts in prop::collection::vec((arb_grade(), arb_hardship(), any::<bool>(), 0usize..5), 1..40),
        drop in any::<prop::sample::Index>(),
    ) {
        let codes = ["R", "U", "H", "V", "K"];
        let roll: Vec<StudentRecord> = facts
            .iter()
            .enumerate()
            .map(|(i, (g, h, b, s))| student(&format!("{i:04}"), codes[*s], *g, *h, *b))
            .collect();
        let policies = catalog_2021();
        let schools = schools();
        let e = entitlements(&policies, &roll, &schools);
        let mut payments: Vec<Payment> = e
            .iter()
            .map(|e| pay(&e.id_number, &e.policy, e.fen, Some(&e.school_code)))
            .collect();
        prop_assert!(gaps(&policies, &e, &roll, &schools, &payments).is_empty());
        prop_assert_eq!(summarize(&payments).person_times as usize, e.len());
        if !payments.is_empty() {
            let removed = payments.remove(drop.index(payments.len()));
            let g = gaps(&policies, &e, &roll, &schools, &payments);
            prop_assert_eq!(g.missed.len(), 1);
            prop_assert_eq!(&g.missed[0].id_number, &removed.id_number);
            prop_assert!(g.not_eligible.is_empty());
        }
    }

    /// Every entitlement's student is covered by its policy and is on the roll.
    #[test]
    fn entitlements_only_for_covered_students(
        facts in prop::collection::vec((arb_grade(), arb_hardship(), any::<bool>(), 0usize..5), 1..40),
    ) {
        let codes = ["R", "U", "H", "V", "K"];
        let roll: Vec<StudentRecord> = facts
            .iter()
            .enumerate()
            .map(|(i, (g, h, b, s))| student(&format!("{i:04}"), codes[*s], *g, *h, *b))
            .collect();
        for e in entitlements(&catalog_2021(), &roll, &schools()) {
            let s = roll.iter().find(|s| s.id_number == e.id_number).expect("student");
            prop_assert!(e.fen > 0);
            prop_assert!(e.grade == s.grade);
        }
    }
}

/// The facts of a record alone, as the database groups them (no name, no ID number).
fn facts_of(s: &StudentRecord) -> StudentRecord {
    StudentRecord {
        name: String::new(),
        id_number: String::new(),
        ..s.clone()
    }
}

/// The roll counted by its facts, and the distinct paid keys counted by their policy and
/// their payee's record in the payment's term, as the storage queries count them.
fn grouped(roll: &[StudentRecord], payments: &[Payment]) -> (Vec<RollGroup>, Vec<PaidGroup>) {
    let mut groups: Vec<RollGroup> = Vec::new();
    for s in roll {
        let record = facts_of(s);
        match groups.iter_mut().find(|g| g.record == record) {
            Some(g) => g.students += 1,
            None => groups.push(RollGroup {
                record,
                students: 1,
            }),
        }
    }
    let mut keys: Vec<(&str, &str, Term)> = payments
        .iter()
        .map(|p| (p.id_number.as_str(), p.policy.as_str(), p.term))
        .collect();
    keys.sort();
    keys.dedup();
    let mut paid: Vec<PaidGroup> = Vec::new();
    for (id, policy, term) in keys {
        let Some(s) = roll.iter().find(|s| s.id_number == id && s.term == term) else {
            continue;
        };
        let record = facts_of(s);
        match paid
            .iter_mut()
            .find(|g| g.record == record && g.policy == policy)
        {
            Some(g) => g.keys += 1,
            None => paid.push(PaidGroup {
                record,
                policy: policy.to_string(),
                keys: 1,
            }),
        }
    }
    (groups, paid)
}

#[test]
fn missed_count_leaves_a_quota_to_the_count_student_by_student() {
    let mut policies = catalog_2021();
    let roll = vec![
        student("A", "K", Grade::Nursery, Hardship::Dibao, false),
        student("B", "K", Grade::Middle, Hardship::LiftedOut, false),
    ];
    let (groups, paid) = grouped(&roll, &[]);
    assert_eq!(missed_count(&policies, &schools(), &groups, &paid), 2);
    assert_eq!(missed_count(&[], &schools(), &groups, &paid), 0);
    // A 名额 of one: B (脱贫家庭) comes first; A is not owed, B is until paid.
    policies[7].quota = Some(Quota {
        spring: 1,
        autumn: 1,
    });
    assert_eq!(missed_count(&policies, &schools(), &groups, &paid), 0);
    assert_eq!(missed_ranked(&policies[7], &schools(), &roll, &[]), 1);
    let paid_b = [("B".to_string(), Term::spring(2021))];
    assert_eq!(missed_ranked(&policies[7], &schools(), &roll, &paid_b), 0);
    let paid_a = [("A".to_string(), Term::spring(2021))];
    assert_eq!(missed_ranked(&policies[7], &schools(), &roll, &paid_a), 1);
}

fn arb_status() -> impl Strategy<Value = StudentStatus> {
    prop::sample::select(StudentStatus::ALL.to_vec())
}

proptest! {
    /// The missed count from the roll and payments counted by their facts (and the policies
    /// with a 名额 student by student over their grades) is the length of the missed list
    /// the check makes, whatever the policies' quotas, the roll and the payments:
    /// schools unknown, statuses off the roll, other years, disability, 孤儿, payments of
    /// the ineligible, of the wrong term, of someone not on the roll, and twice.
    #[test]
    fn missed_count_is_the_missed_list_counted(
        facts in prop::collection::vec(
            (arb_grade(), arb_hardship(), any::<bool>(), 0usize..6, any::<bool>(), any::<bool>(), arb_status(), 0usize..3),
            1..60,
        ),
        paid_mask in prop::collection::vec(any::<bool>(), 200),
        extra in prop::collection::vec((0usize..70, 0usize..10, 0usize..3), 0..20),
        quotas in prop::collection::vec(prop::option::weighted(0.3, (0u32..4, 0u32..4)), 9),
    ) {
        let codes = ["R", "U", "H", "V", "K", "X"];
        let terms = [Term::spring(2021), Term::autumn(2021), Term::spring(2020)];
        // Few distinct ID numbers, so one student can be on the roll of two terms.
        let roll: Vec<StudentRecord> = facts
            .iter()
            .enumerate()
            .map(|(i, (g, h, b, s, disabled, orphan, status, term))| {
                let mut r = student(&format!("{:04}", i % 45), codes[*s], *g, *h, *b);
                r.disability = disabled.then(|| "视力残疾".to_string());
                r.national.orphan = orphan.then_some(true);
                r.status = *status;
                r.term = terms[*term];
                r
            })
            .filter({
                let mut seen = std::collections::HashSet::new();
                move |r: &StudentRecord| seen.insert((r.id_number.clone(), r.term))
            })
            .collect();
        let mut policies = catalog_2021();
        for (p, quota) in policies.iter_mut().zip(&quotas) {
            p.quota = quota.map(|(spring, autumn)| Quota { spring, autumn });
        }
        let schools = schools();
        let e = entitlements(&policies, &roll, &schools);
        let mut payments: Vec<Payment> = e
            .iter()
            .zip(paid_mask.iter().cycle())
            .filter(|(_, paid)| **paid)
            .map(|(e, _)| Payment { term: e.term, ..pay(&e.id_number, &e.policy, e.fen, None) })
            .collect();
        for (who, policy, term) in &extra {
            let code = policies.get(*policy).map_or("other", |p| p.code.as_str());
            payments.push(Payment {
                term: terms[*term],
                ..pay(&format!("{who:04}"), code, 100, None)
            });
        }
        let missed = gaps(&policies, &e, &roll, &schools, &payments).missed.len() as u64;
        // The policies without a 名额 counted by facts, those with one student by student
        // over the students of their grades (what the storage query narrows the roll to).
        let (groups, paid) = grouped(&roll, &payments);
        let mut counted = missed_count(&policies, &schools, &groups, &paid);
        for p in policies.iter().filter(|p| p.quota.is_some()) {
            let candidates: Vec<StudentRecord> = roll
                .iter()
                .filter(|s| p.grades.is_empty() || p.grades.contains(&s.grade))
                .cloned()
                .collect();
            let paid: Vec<(String, Term)> = payments
                .iter()
                .filter(|x| x.policy == p.code)
                .map(|x| (x.id_number.clone(), x.term))
                .collect();
            counted += missed_ranked(p, &schools, &candidates, &paid);
        }
        prop_assert_eq!(counted, missed);
    }
}
