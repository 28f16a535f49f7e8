//! Eligibility of student-terms and the five gap lists.

use super::{priority, Facts, Policy};
use crate::registry::{School, StudentRecord, StudentStatus};
use crate::term::Term;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A student eligible for a policy in a term, with the default amount.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entitlement {
    pub id_number: String,
    pub name: String,
    pub school_code: String,
    pub grade: crate::registry::Grade,
    pub policy: String,
    pub term: Term,
    pub fen: i64,
}

/// One payment (资助发放): one row of the `aid` import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub id_number: String,
    pub policy: String,
    pub term: Term,
    pub fen: i64,
    pub school_code: Option<String>,
}

/// Whether a record makes its student eligible for aid: 在读 and 送教上门 (not 休学).
pub fn can_receive(status: StudentStatus) -> bool {
    matches!(status, StudentStatus::Enrolled | StudentStatus::HomeTaught)
}

/// Whether the record keeps the student on the roll (在读, 休学, 送教上门).
pub fn on_roll(status: StudentStatus) -> bool {
    matches!(
        status,
        StudentStatus::Enrolled | StudentStatus::Suspended | StudentStatus::HomeTaught
    )
}

/// Every (student, policy, term) the registry makes eligible, for the policies of the
/// terms' year. Records of schools not in `schools` are skipped. Sorted by term, policy,
/// ID number.
pub fn entitlements(
    policies: &[Policy],
    roll: &[StudentRecord],
    schools: &[School],
) -> Vec<Entitlement> {
    let by_code: HashMap<&str, &School> = schools.iter().map(|s| (s.code.as_str(), s)).collect();
    let mut groups: BTreeMap<(Term, usize), Vec<(u8, Entitlement)>> = BTreeMap::new();
    for student in roll.iter().filter(|s| can_receive(s.status)) {
        let Some(school) = by_code.get(student.school_code.as_str()) else {
            continue;
        };
        let f = Facts { student, school };
        for (i, p) in policies.iter().enumerate() {
            let Some(fen) = entitled_fen(p, f) else {
                continue;
            };
            groups.entry((student.term, i)).or_default().push((
                priority(student.effective_hardship()),
                Entitlement {
                    id_number: student.id_number.clone(),
                    name: student.name.clone(),
                    school_code: student.school_code.clone(),
                    grade: student.grade,
                    policy: p.code.clone(),
                    term: student.term,
                    fen,
                },
            ));
        }
    }
    let mut out = Vec::with_capacity(groups.values().map(Vec::len).sum());
    for ((term, i), mut list) in groups {
        if let Some(quota) = policies[i].quota.map(|q| q.of(term.season)) {
            list.sort_by(|a, b| (a.0, &a.1.id_number).cmp(&(b.0, &b.1.id_number)));
            list.truncate(quota as usize);
        }
        // A student is listed once per policy and term: an unstable sort gives the same order.
        list.sort_unstable_by(|a, b| a.1.id_number.cmp(&b.1.id_number));
        out.extend(list.into_iter().map(|(_, e)| e));
    }
    out
}

/// What a policy pays a student in the student's term, `None` when the student is not
/// eligible: the one test [`entitlements`] and [`missed_count`] both apply (quotas aside).
fn entitled_fen(p: &Policy, f: Facts<'_>) -> Option<i64> {
    if !can_receive(f.student.status) || p.year != f.student.term.year || !p.covers(f) {
        return None;
    }
    p.amount.for_student(f.student.term, f)
}

/// Students of one term who share every fact eligibility reads (school, grade, boarding,
/// hardship, disability, 孤儿, status), and how many they are: the roll counted by the
/// database instead of read student by student. `record` carries those facts (its name
/// and ID number are not read).
#[derive(Clone, Debug, PartialEq)]
pub struct RollGroup {
    pub record: StudentRecord,
    pub students: u64,
}

/// Distinct paid (student, policy, term) keys of one policy whose payees share the facts
/// of `record`, their roll record of the payment's term.
#[derive(Clone, Debug, PartialEq)]
pub struct PaidGroup {
    pub record: StudentRecord,
    pub policy: String,
    pub keys: u64,
}

/// How many (student, policy, term) are eligible and not paid: the length of
/// [`gaps`]`(…).missed`, from the roll and the paid keys counted by their facts, without a
/// list of students. `paid` holds only keys whose payee is on the roll of the term (any
/// status); a payment of someone not on the roll is never an entitlement paid.
///
/// A policy with a 名额 is left out: who is eligible under a quota depends on the other
/// students' ID numbers, so it is counted student by student ([`missed_ranked`]).
pub fn missed_count(
    policies: &[Policy],
    schools: &[School],
    roll: &[RollGroup],
    paid: &[PaidGroup],
) -> u64 {
    let policies: Vec<&Policy> = policies.iter().filter(|p| p.quota.is_none()).collect();
    let by_code: HashMap<&str, &School> = schools.iter().map(|s| (s.code.as_str(), s)).collect();
    let eligible = |p: &Policy, student: &StudentRecord| {
        by_code
            .get(student.school_code.as_str())
            .is_some_and(|school| entitled_fen(p, Facts { student, school }).is_some())
    };
    let entitled: u64 = roll
        .iter()
        .map(|g| {
            let policies = policies.iter().filter(|p| eligible(p, &g.record));
            g.students * policies.count() as u64
        })
        .sum();
    // A key paid is an entitlement paid once for every policy of its code it is eligible
    // under (a code is once in a year's catalog; counted alike if it were not).
    let paid_entitled: u64 = paid
        .iter()
        .map(|g| {
            let policies = policies
                .iter()
                .filter(|p| p.code == g.policy && eligible(p, &g.record));
            g.keys * policies.count() as u64
        })
        .sum();
    entitled.saturating_sub(paid_entitled)
}

/// The same count for one policy with a 名额, which ranks its eligible students by priority
/// and ID number: its entitlements among `candidates` that have no payment of the policy
/// in `paid` (ID number, term). `candidates` must hold every student of the roll the policy
/// may cover (every student of its grades); the others cannot change the ranking.
pub fn missed_ranked(
    policy: &Policy,
    schools: &[School],
    candidates: &[StudentRecord],
    paid: &[(String, Term)],
) -> u64 {
    let paid: HashSet<(&str, Term)> = paid.iter().map(|(id, t)| (id.as_str(), *t)).collect();
    entitlements(std::slice::from_ref(policy), candidates, schools)
        .iter()
        .filter(|e| !paid.contains(&(e.id_number.as_str(), e.term)))
        .count() as u64
}

/// The five gap lists.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Gaps {
    /// Eligible but not funded (应助尽助 gap).
    pub missed: Vec<Entitlement>,
    /// Funded though on the roll and not eligible (or paid an amount the policy does not pay).
    pub not_eligible: Vec<Payment>,
    /// Funded more than once under one policy in one term: every payment of each such group.
    pub duplicates: Vec<Vec<Payment>>,
    /// Funded at two or more schools in one term: every payment of each such student-term.
    pub two_schools: Vec<Vec<Payment>>,
    /// Funded in a term when not on the roll.
    pub off_roll: Vec<Payment>,
}

impl Gaps {
    pub fn is_empty(&self) -> bool {
        self.missed.is_empty()
            && self.not_eligible.is_empty()
            && self.duplicates.is_empty()
            && self.two_schools.is_empty()
            && self.off_roll.is_empty()
    }
}

type Key<'a> = (&'a str, &'a str, Term);

/// Compares what the registry makes eligible with what was paid.
pub fn gaps(
    policies: &[Policy],
    entitled: &[Entitlement],
    roll: &[StudentRecord],
    schools: &[School],
    payments: &[Payment],
) -> Gaps {
    // Maps sized up front: growing them was a good part of the check's time.
    fn sized<K, V>(n: usize) -> HashMap<K, V> {
        HashMap::with_capacity_and_hasher(n, Default::default())
    }
    let mut entitled_keys: HashMap<Key<'_>, &Entitlement> = sized(entitled.len());
    for e in entitled {
        entitled_keys.insert((e.id_number.as_str(), e.policy.as_str(), e.term), e);
    }
    // Only the records of paid students are looked up: kept for those alone.
    let paid_students: HashSet<(&str, Term)> = payments
        .iter()
        .map(|p| (p.id_number.as_str(), p.term))
        .collect();
    let mut records: HashMap<(&str, Term), &StudentRecord> = sized(paid_students.len());
    for s in roll.iter().filter(|s| on_roll(s.status)) {
        let key = (s.id_number.as_str(), s.term);
        if paid_students.contains(&key) {
            records.insert(key, s);
        }
    }
    let by_code: HashMap<&str, &School> = schools.iter().map(|s| (s.code.as_str(), s)).collect();
    let policy_of: HashMap<(&str, i32), &Policy> = policies
        .iter()
        .map(|p| ((p.code.as_str(), p.year), p))
        .collect();

    let mut paid: HashMap<Key<'_>, Vec<&Payment>> = sized(payments.len());
    let mut schools_paid: HashMap<(&str, Term), Vec<&Payment>> = sized(paid_students.len());
    let mut gaps = Gaps::default();
    for p in payments {
        paid.entry((p.id_number.as_str(), p.policy.as_str(), p.term))
            .or_default()
            .push(p);
        let record = records.get(&(p.id_number.as_str(), p.term));
        let Some(record) = record else {
            gaps.off_roll.push(p.clone());
            continue;
        };
        schools_paid
            .entry((p.id_number.as_str(), p.term))
            .or_default()
            .push(p);
        let entitlement = entitled_keys.get(&(p.id_number.as_str(), p.policy.as_str(), p.term));
        let amount_ok = match (
            entitlement,
            policy_of.get(&(p.policy.as_str(), p.term.year)),
        ) {
            (Some(e), Some(policy)) => match by_code.get(e.school_code.as_str()) {
                Some(school) => policy.amount.allows(
                    p.term,
                    p.fen,
                    super::Facts {
                        student: record,
                        school,
                    },
                ),
                None => false,
            },
            _ => false,
        };
        if !amount_ok {
            gaps.not_eligible.push(p.clone());
        }
    }
    for e in entitled {
        if !paid.contains_key(&(e.id_number.as_str(), e.policy.as_str(), e.term)) {
            gaps.missed.push(e.clone());
        }
    }
    let mut dup: Vec<Vec<Payment>> = paid
        .values()
        .filter(|list| list.len() > 1)
        .map(|list| list.iter().map(|p| (*p).clone()).collect())
        .collect();
    dup.sort_by_key(|a| key_of(a));
    gaps.duplicates = dup;
    let mut two_schools: Vec<(Key<'_>, Vec<Payment>)> = Vec::new();
    for ((id, term), list) in schools_paid {
        // A payment without a school counts at the school the student is enrolled in.
        let enrolled_at = records
            .get(&(id, term))
            .map(|r| r.school_code.as_str())
            .unwrap_or("");
        fn school_of<'s>(p: &'s Payment, enrolled_at: &'s str) -> &'s str {
            p.school_code.as_deref().unwrap_or(enrolled_at)
        }
        let first = school_of(list[0], enrolled_at);
        if list.iter().any(|p| school_of(p, enrolled_at) != first) {
            two_schools.push(((id, "", term), list.iter().map(|p| (*p).clone()).collect()));
        }
    }
    two_schools.sort_by(|a, b| a.0.cmp(&b.0));
    gaps.two_schools = two_schools.into_iter().map(|(_, list)| list).collect();
    gaps
}

fn key_of(list: &[Payment]) -> (String, String, Term) {
    list.first()
        .map(|p| (p.id_number.clone(), p.policy.clone(), p.term))
        .unwrap_or((String::new(), String::new(), Term::spring(0)))
}

/// 资助人次 and amounts of a set of payments, in total and by policy.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Distinct (student, policy, term): one 人次 each.
    pub person_times: u64,
    pub fen: i64,
    /// Policy code → (人次, fen).
    pub by_policy: BTreeMap<String, (u64, i64)>,
}

pub fn summarize(payments: &[Payment]) -> Summary {
    let mut seen: HashSet<Key<'_>> = HashSet::default();
    let mut by_policy: HashMap<&str, (u64, i64)> = HashMap::default();
    let mut s = Summary::default();
    for p in payments {
        let entry = by_policy.entry(p.policy.as_str()).or_default();
        if seen.insert((p.id_number.as_str(), p.policy.as_str(), p.term)) {
            s.person_times += 1;
            entry.0 += 1;
        }
        s.fen += p.fen;
        entry.1 += p.fen;
    }
    s.by_policy = by_policy
        .into_iter()
        .map(|(code, totals)| (code.to_string(), totals))
        .collect();
    s
}
