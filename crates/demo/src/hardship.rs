//! 家庭经济困难类型: who is marked as a hardship student, and how often.
//!
//! All shares live in the constants below so that they can be tuned in one place. The
//! shares are per student before the setting factor; urban students are marked less often,
//! rural students more, and the overall county shares stay close to the base shares
//! (roughly 10% 脱贫家庭, 2.5% 低保家庭, 0.6% 特困供养, 0.2% 孤儿, 0.8% 残疾学生, plus the
//! 送教上门 and 特殊教育学校 students, who are all 残疾学生).

use crate::rng::{pick_weighted, unit, Rng};
use emis_domain::registry::{Hardship, UrbanRural};

/// 脱贫家庭 (formerly 建档立卡) share.
pub const LIFTED_OUT_SHARE: f64 = 0.100;
/// 低保家庭 share.
pub const DIBAO_SHARE: f64 = 0.025;
/// 特困供养 share.
pub const TEKUN_SHARE: f64 = 0.006;
/// 孤儿 share.
pub const ORPHAN_SHARE: f64 = 0.002;
/// 残疾学生 share among ordinary students (not scaled by setting).
pub const DISABLED_SHARE: f64 = 0.008;

/// Setting factors applied to the family-poverty shares (脱贫, 低保, 特困, 孤儿).
pub const URBAN_FACTOR: f64 = 0.65;
pub const TOWN_FACTOR: f64 = 1.10;
pub const RURAL_FACTOR: f64 = 1.35;

/// Disability types of ordinary disabled students, with weights.
pub const DISABILITY_TYPES: &[(&str, f64)] = &[
    ("肢体残疾", 0.35),
    ("听力残疾", 0.15),
    ("视力残疾", 0.15),
    ("言语残疾", 0.10),
    ("智力残疾", 0.20),
    ("精神残疾", 0.05),
];

/// Disability types of 送教上门 children (severe, needing full-time care).
pub const HOME_TAUGHT_DISABILITY_TYPES: &[(&str, f64)] = &[
    ("智力残疾", 0.35),
    ("多重残疾", 0.30),
    ("肢体残疾", 0.20),
    ("精神残疾", 0.15),
];

/// Disability types at 溆浦县特殊教育学校.
pub const SPECIAL_SCHOOL_DISABILITY_TYPES: &[(&str, f64)] = &[
    ("听力残疾", 0.35),
    ("智力残疾", 0.45),
    ("视力残疾", 0.10),
    ("多重残疾", 0.10),
];

fn draw_type(rng: &mut Rng, types: &[(&'static str, f64)]) -> &'static str {
    types[pick_weighted(rng, types.len(), |i| types[i].1)].0
}

/// The hardship type (and disability, for 残疾学生) of an ordinary student.
pub fn assign_hardship(rng: &mut Rng, setting: UrbanRural) -> (Hardship, Option<&'static str>) {
    let factor = match setting {
        UrbanRural::Urban => URBAN_FACTOR,
        UrbanRural::Town => TOWN_FACTOR,
        UrbanRural::Rural => RURAL_FACTOR,
    };
    let mut r = unit(rng);
    if r < DISABLED_SHARE {
        return (Hardship::Disabled, Some(draw_type(rng, DISABILITY_TYPES)));
    }
    r -= DISABLED_SHARE;
    for (kind, share) in [
        (Hardship::LiftedOut, LIFTED_OUT_SHARE),
        (Hardship::Dibao, DIBAO_SHARE),
        (Hardship::Tekun, TEKUN_SHARE),
        (Hardship::Orphan, ORPHAN_SHARE),
    ] {
        let p = share * factor;
        if r < p {
            return (kind, None);
        }
        r -= p;
    }
    (Hardship::None, None)
}

/// A 送教上门 child: always 残疾学生.
pub fn home_taught(rng: &mut Rng) -> (Hardship, Option<&'static str>) {
    (
        Hardship::Disabled,
        Some(draw_type(rng, HOME_TAUGHT_DISABILITY_TYPES)),
    )
}

/// A pupil of the special school: always 残疾学生.
pub fn special_school(rng: &mut Rng) -> (Hardship, Option<&'static str>) {
    (
        Hardship::Disabled,
        Some(draw_type(rng, SPECIAL_SCHOOL_DISABILITY_TYPES)),
    )
}
