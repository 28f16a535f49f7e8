//! 数据采集 in the demo county, 2021: what the schools and township offices answered on the
//! starter forms. The values the system holds (students on the roll, staff) are not here:
//! the forms prefill them from the registry, and every school reports all of them
//! vaccinated, so the seed's 148,955 students come out of the forms. Here are only what a
//! form asks:
//!
//! * **入户摸排** (one response per township office): the seed's [`HOUSEHOLDS`] households,
//!   [`PEOPLE`] people and [`URGED`] urged to vaccinate, shared out over the 25 townships.
//! * **社会捐赠** (per school): [`DONATION_HUNDREDTHS`] hundredths of 万元 (67万元) given to a
//!   few dozen schools.
//! * **疫苗接种** timeliness: a few schools submit after the due date, and two are sent back
//!   once (a figure to check) before they submit again.
//! * **晨午检** (monthly, September to December): every school reports each month; in
//!   December a handful have not submitted by the due date.
//!
//! Pure and deterministic: its own stream from the seed.

use crate::rng::{between, chance, shuffle, Rng};
use emis_domain::divisions::County;
use emis_domain::registry::School;

/// 入户摸排 of 2021 (the seed).
pub const HOUSEHOLDS: u32 = 857;
pub const PEOPLE: u32 = 2_149;
pub const URGED: u32 = 93;
/// 社会捐赠 of 2021: 67万元, in hundredths of 万元.
pub const DONATION_HUNDREDTHS: i64 = 6_700;
/// Schools that received donations.
pub const DONATED_SCHOOLS: usize = 36;

#[derive(Clone, Debug, PartialEq)]
pub struct DemoForms {
    /// (township code, households, people, urged).
    pub household_visits: Vec<(String, u32, u32, u32)>,
    /// (school code, donors, amount in hundredths of 万元); schools absent received none.
    pub donations: Vec<(String, u32, i64)>,
    /// Schools that submitted the vaccination form after its due date.
    pub vaccination_late: Vec<String>,
    /// Schools whose vaccination response was sent back once, with the comment.
    pub vaccination_sent_back: Vec<(String, &'static str)>,
    pub morning_checks: Vec<DemoMorningCheck>,
}

/// One school's 晨午检 month.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoMorningCheck {
    pub school_code: String,
    /// 9 to 12 (2021).
    pub month: u32,
    pub school_days: u32,
    pub checked_days: u32,
    pub abnormal: u32,
    /// False: not submitted by the due date (still a draft).
    pub submitted: bool,
}

/// Shares `total` out by `weights` (largest remainders), so the parts add up exactly.
pub(crate) fn apportion(total: u32, weights: &[f64]) -> Vec<u32> {
    let sum: f64 = weights.iter().sum();
    if sum <= 0.0 || weights.is_empty() {
        return vec![0; weights.len()];
    }
    let exact: Vec<f64> = weights.iter().map(|w| w / sum * f64::from(total)).collect();
    let mut parts: Vec<u32> = exact.iter().map(|e| e.floor() as u32).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (exact[a] - exact[a].floor(), exact[b] - exact[b].floor());
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    let short = total - parts.iter().sum::<u32>();
    for &i in order.iter().take(short as usize) {
        parts[i] += 1;
    }
    parts
}

pub fn generate(rng: &mut Rng, county: &County, schools: &[School]) -> DemoForms {
    // 入户摸排: people by a weight per township; households and urged in proportion, so
    // every township has at least as many people as households or urged.
    let weights: Vec<f64> = county
        .townships
        .iter()
        .map(|_| f64::from(between(rng, 40, 120)))
        .collect();
    let people = apportion(PEOPLE, &weights);
    let as_people: Vec<f64> = people.iter().map(|p| f64::from(*p)).collect();
    let households = apportion(HOUSEHOLDS, &as_people);
    let urged = apportion(URGED, &as_people);
    let household_visits = county
        .townships
        .iter()
        .enumerate()
        .map(|(i, t)| (t.code.to_string(), households[i], people[i], urged[i]))
        .collect();

    let mut codes: Vec<&School> = schools.iter().collect();
    codes.sort_by(|a, b| a.code.cmp(&b.code));
    shuffle(rng, &mut codes);
    let donated = &codes[..DONATED_SCHOOLS.min(codes.len())];
    let gift_weights: Vec<f64> = donated
        .iter()
        .map(|_| f64::from(between(rng, 1, 20)))
        .collect();
    let amounts = apportion(DONATION_HUNDREDTHS as u32, &gift_weights);
    let donations = donated
        .iter()
        .zip(amounts)
        .map(|(s, a)| (s.code.clone(), between(rng, 1, 6), i64::from(a)))
        .collect();
    let vaccination_late = codes[DONATED_SCHOOLS..DONATED_SCHOOLS + 5]
        .iter()
        .map(|s| s.code.clone())
        .collect();
    let comments = ["接种人数与学籍人数差异较大，请核实", "请补充未接种原因说明"];
    let vaccination_sent_back = codes[DONATED_SCHOOLS + 5..DONATED_SCHOOLS + 7]
        .iter()
        .zip(comments)
        .map(|(s, c)| (s.code.clone(), c))
        .collect();

    let mut morning_checks = Vec::with_capacity(schools.len() * 4);
    for month in 9..=12 {
        let school_days = match month {
            9 => 21,
            10 => 16,
            11 => 22,
            _ => 23,
        };
        for s in &codes {
            morning_checks.push(DemoMorningCheck {
                school_code: s.code.clone(),
                month,
                school_days,
                checked_days: school_days,
                abnormal: between(rng, 0, 6),
                submitted: month < 12 || !chance(rng, 0.03),
            });
        }
    }
    DemoForms {
        household_visits,
        donations,
        vaccination_late,
        vaccination_sent_back,
        morning_checks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn apportioned_parts_add_up() {
        assert_eq!(apportion(10, &[1.0, 1.0, 1.0]), [4, 3, 3]);
        assert_eq!(apportion(0, &[1.0, 2.0]), [0, 0]);
        assert_eq!(apportion(5, &[]), Vec::<u32>::new());
    }

    #[test]
    fn the_answers_give_the_seed_figures() {
        let d = crate::tests::demo_county();
        let mut rng = Rng::seed_from_u64(7);
        let f = generate(&mut rng, d.county, &d.schools);
        let sum = |pick: fn(&(String, u32, u32, u32)) -> u32| -> u32 {
            f.household_visits.iter().map(pick).sum()
        };
        assert_eq!(sum(|v| v.1), HOUSEHOLDS);
        assert_eq!(sum(|v| v.2), PEOPLE);
        assert_eq!(sum(|v| v.3), URGED);
        assert!(f.household_visits.iter().all(|v| v.1 <= v.2 && v.3 <= v.2));
        assert_eq!(f.household_visits.len(), d.county.townships.len());
        let given: i64 = f.donations.iter().map(|d| d.2).sum();
        assert_eq!(given, DONATION_HUNDREDTHS);
        assert_eq!(f.vaccination_late.len(), 5);
        assert_eq!(f.vaccination_sent_back.len(), 2);
        assert_eq!(f.morning_checks.len(), 4 * d.schools.len());
        let missing = f.morning_checks.iter().filter(|m| !m.submitted).count();
        assert!(missing > 0 && missing < 30, "{missing}");
        assert!(f
            .morning_checks
            .iter()
            .filter(|m| !m.submitted)
            .all(|m| m.month == 12));
        let mut again = Rng::seed_from_u64(7);
        assert_eq!(generate(&mut again, d.county, &d.schools), f);
    }
}
