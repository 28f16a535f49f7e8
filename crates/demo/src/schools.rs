//! The demo county's schools: about 300 of every type, named as 溆浦 names them, each with
//! its spring-2021 number of classes per grade (the streams the class plan starts from).

use crate::names::{KINDERGARTEN_STEMS, VILLAGES};
use crate::rng::{between, chance, shuffle, Rng};
use emis_domain::divisions::{Township, XUPU};
use emis_domain::registry::{Grade, Ownership, School, SchoolType, UrbanRural};

/// What a school is in the plan, finer than its 办学类型.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// 县直 public kindergartens in the county seat.
    PublicKg,
    PrivateKg,
    /// 乡镇中心幼儿园.
    CentreKg,
    UrbanPrimary,
    /// 乡镇中心小学.
    CentrePrimary,
    VillagePrimary,
    UrbanNineYear,
    /// 雅堂芙蓉学校: opened in autumn 2021.
    NewNineYear,
    RuralNineYear,
    UrbanJunior,
    /// 乡镇中学.
    TownJunior,
    Complete,
    Senior,
    Vocational,
    Special,
}

impl Kind {
    pub fn school_type(self) -> SchoolType {
        match self {
            Kind::PublicKg | Kind::PrivateKg | Kind::CentreKg => SchoolType::Kindergarten,
            Kind::UrbanPrimary | Kind::CentrePrimary | Kind::VillagePrimary => SchoolType::Primary,
            Kind::UrbanNineYear | Kind::NewNineYear | Kind::RuralNineYear => SchoolType::NineYear,
            Kind::UrbanJunior | Kind::TownJunior => SchoolType::Junior,
            Kind::Complete => SchoolType::Complete,
            Kind::Senior => SchoolType::Senior,
            Kind::Vocational => SchoolType::Vocational,
            Kind::Special => SchoolType::Special,
        }
    }
}

/// A school together with its place in the plan.
#[derive(Clone, Debug)]
pub struct Plan {
    pub school: School,
    /// Index into `XUPU.townships`.
    pub township: usize,
    pub kind: Kind,
    /// Spring-2021 classes per grade, indexed by `Grade::ordinal` (0 where none).
    pub streams: [u16; 15],
}

impl Plan {
    pub fn teaches(&self, grade: Grade) -> bool {
        self.school.school_type.grades().contains(&grade)
    }

    pub fn is_urban(&self) -> bool {
        self.school.urban_rural == UrbanRural::Urban
    }
}

/// Relative size of each township (the county seat is planned separately).
const TOWNSHIP_WEIGHTS: &[(&str, f64)] = &[
    ("低庄镇", 1.6),
    ("桥江镇", 1.3),
    ("龙潭镇", 1.5),
    ("均坪镇", 0.9),
    ("观音阁镇", 1.2),
    ("双井镇", 1.1),
    ("水东镇", 1.0),
    ("两丫坪镇", 0.9),
    ("黄茅园镇", 1.0),
    ("葛竹坪镇", 0.8),
    ("大江口镇", 1.2),
    ("思蒙镇", 0.9),
    ("深子湖镇", 0.8),
    ("祖师殿镇", 0.7),
    ("三江镇", 0.8),
    ("统溪河镇", 0.8),
    ("北斗溪镇", 0.7),
    ("舒溶溪乡", 0.5),
    ("油洋乡", 0.5),
    ("小横垅乡", 0.4),
    ("中都乡", 0.5),
    ("沿溪乡", 0.5),
    ("龙庄湾乡", 0.5),
    ("淘金坪乡", 0.5),
];

pub fn township_weight(name: &str) -> f64 {
    TOWNSHIP_WEIGHTS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(1.0, |(_, w)| *w)
}

/// The county seat's township index (卢峰镇).
pub fn seat() -> usize {
    XUPU.townships
        .iter()
        .position(|t| t.urban)
        .expect("XUPU has a county seat")
}

struct Builder<'r> {
    rng: &'r mut Rng,
    plans: Vec<Plan>,
}

impl Builder<'_> {
    fn add(
        &mut self,
        name: String,
        township: usize,
        setting: UrbanRural,
        ownership: Ownership,
        boarding: bool,
        kind: Kind,
    ) {
        let school_type = kind.school_type();
        let t: &Township = &XUPU.townships[township];
        let streams = streams(self.rng, kind, school_type, t.name, &name);
        self.plans.push(Plan {
            school: School {
                code: String::new(),
                name,
                school_type,
                township_code: t.code.to_string(),
                urban_rural: setting,
                ownership,
                boarding,
            },
            township,
            kind,
            streams,
        });
    }
}

/// Spring classes per grade for one school.
fn streams(
    rng: &mut Rng,
    kind: Kind,
    school_type: SchoolType,
    township: &str,
    name: &str,
) -> [u16; 15] {
    let w = township_weight(township);
    let scaled = |base: f64, lo: u32, hi: u32| -> u32 { ((base * w).round() as u32).clamp(lo, hi) };
    let mut out = [0u16; 15];
    for grade in school_type.grades() {
        let junior_or_senior = matches!(grade.stage(), emis_domain::registry::Stage::Junior);
        let senior = grade.stage() == emis_domain::registry::Stage::Senior;
        let n = match kind {
            Kind::PublicKg => between(rng, 5, 7),
            Kind::PrivateKg if township == "卢峰镇" => between(rng, 2, 4),
            Kind::PrivateKg => between(rng, 1, 3),
            Kind::CentreKg => scaled(3.4, 2, 6) + between(rng, 0, 1),
            Kind::UrbanPrimary => between(rng, 7, 10),
            Kind::CentrePrimary => scaled(3.0, 2, 5) + between(rng, 0, 1),
            Kind::VillagePrimary => 1,
            Kind::UrbanNineYear if junior_or_senior => between(rng, 8, 10),
            Kind::UrbanNineYear => between(rng, 6, 8),
            Kind::NewNineYear => 0,
            Kind::RuralNineYear if junior_or_senior => between(rng, 1, 2),
            Kind::RuralNineYear => 1,
            Kind::UrbanJunior => between(rng, 14, 16),
            Kind::TownJunior => scaled(6.3, 3, 10) + between(rng, 0, 1),
            Kind::Complete if township == "卢峰镇" && senior => between(rng, 14, 16),
            Kind::Complete if township == "卢峰镇" => between(rng, 8, 10),
            Kind::Complete if senior => between(rng, 10, 12),
            Kind::Complete => between(rng, 4, 6),
            Kind::Senior if name.contains("第一中学") => between(rng, 20, 24),
            Kind::Senior => between(rng, 12, 14),
            Kind::Vocational => between(rng, 36, 40),
            Kind::Special => between(rng, 1, 2),
        };
        out[grade.ordinal()] = n as u16;
    }
    out
}

/// Builds the county's schools with 10-digit codes "2143" + a 6-digit sequence.
pub fn build(rng: &mut Rng) -> Vec<Plan> {
    use Kind::*;
    use Ownership::{Private, Public};
    use UrbanRural::{Rural, Town, Urban};

    let seat = seat();
    let mut b = Builder {
        rng,
        plans: Vec::with_capacity(320),
    };
    let county = |s: &str| format!("溆浦县{s}");

    // County seat (卢峰镇, 城区).
    for name in ["幼儿园", "第二幼儿园", "机关幼儿园"] {
        b.add(county(name), seat, Urban, Public, false, PublicKg);
    }
    b.add(
        "卢峰镇中心幼儿园".into(),
        seat,
        Urban,
        Public,
        false,
        PublicKg,
    );
    let mut stems: Vec<&str> = KINDERGARTEN_STEMS.to_vec();
    shuffle(b.rng, &mut stems);
    for stem in stems.iter().take(44) {
        b.add(
            county(&format!("{stem}幼儿园")),
            seat,
            Urban,
            Private,
            false,
            PrivateKg,
        );
    }
    for name in [
        "实验小学",
        "第二完全小学",
        "第三完全小学",
        "第四完全小学",
        "第五完全小学",
        "第六完全小学",
    ] {
        b.add(county(name), seat, Urban, Public, false, UrbanPrimary);
    }
    b.add(
        "卢峰镇中心小学".into(),
        seat,
        Urban,
        Public,
        false,
        UrbanPrimary,
    );
    b.add(
        county("警予学校"),
        seat,
        Urban,
        Public,
        false,
        UrbanNineYear,
    );
    b.add(
        county("思源实验学校"),
        seat,
        Urban,
        Public,
        false,
        UrbanNineYear,
    );
    b.add(
        county("雅堂芙蓉学校"),
        seat,
        Urban,
        Public,
        false,
        NewNineYear,
    );
    b.add("卢峰镇中学".into(), seat, Urban, Public, true, UrbanJunior);
    b.add(county("第一中学"), seat, Urban, Public, true, Senior);
    b.add(county("第二中学"), seat, Urban, Public, true, Complete);
    b.add(county("第三中学"), seat, Urban, Public, true, Complete);
    b.add(
        "溆浦楚怡职业学校".into(),
        seat,
        Urban,
        Public,
        true,
        Vocational,
    );
    b.add(county("特殊教育学校"), seat, Urban, Public, true, Special);

    // The other 24 townships: seat schools are 镇区, village schools 乡村.
    for (ti, t) in XUPU.townships.iter().enumerate() {
        if ti == seat {
            continue;
        }
        let w = township_weight(t.name);
        let tn = t.name;
        b.add(format!("{tn}中心幼儿园"), ti, Town, Public, false, CentreKg);
        let mut stems: Vec<&str> = KINDERGARTEN_STEMS.to_vec();
        shuffle(b.rng, &mut stems);
        let private_kgs = ((2.5 * w).round() as usize).max(1);
        for stem in stems.iter().take(private_kgs) {
            b.add(
                format!("{tn}{stem}幼儿园"),
                ti,
                Town,
                Private,
                false,
                PrivateKg,
            );
        }
        let centre_boarding = chance(b.rng, 0.6);
        b.add(
            format!("{tn}中心小学"),
            ti,
            Town,
            Public,
            centre_boarding,
            CentrePrimary,
        );
        b.add(format!("{tn}中学"), ti, Town, Public, true, TownJunior);

        let mut villages: Vec<&str> = VILLAGES.to_vec();
        shuffle(b.rng, &mut villages);
        let mut villages = villages.into_iter();
        let village_schools = ((5.0 * w).round() as usize).max(2);
        for _ in 0..village_schools {
            let v = villages.next().expect("enough village stems per township");
            let boarding = chance(b.rng, 0.1);
            b.add(
                format!("{tn}{v}小学"),
                ti,
                Rural,
                Public,
                boarding,
                VillagePrimary,
            );
        }
        if tn == "龙潭镇" {
            b.add(
                "龙潭镇大华学校".into(),
                ti,
                Rural,
                Public,
                true,
                RuralNineYear,
            );
        } else if w >= 0.8 && chance(b.rng, 0.45) {
            let v = villages.next().expect("enough village stems per township");
            b.add(
                format!("{tn}{v}学校"),
                ti,
                Rural,
                Public,
                true,
                RuralNineYear,
            );
        }
        match tn {
            "龙潭镇" => b.add(county("第四中学"), ti, Town, Public, true, Complete),
            "低庄镇" => b.add(county("第五中学"), ti, Town, Public, true, Senior),
            "大江口镇" => b.add(county("第六中学"), ti, Town, Public, true, Complete),
            _ => {}
        }
    }

    let mut plans = b.plans;
    let mut sequence: u32 = 100_000;
    for plan in &mut plans {
        sequence += between(rng, 1, 9);
        plan.school.code = format!("2143{sequence:06}");
    }
    // Every other 民办 kindergarten, in code order, is recognised as 普惠性 (no draw, so the
    // rest of the county comes out as before).
    let private_kindergartens = plans.iter_mut().filter(|p| {
        p.school.school_type == SchoolType::Kindergarten && p.school.ownership == Private
    });
    for plan in private_kindergartens.step_by(2) {
        plan.school.ownership = Ownership::InclusivePrivate;
    }
    plans
}
