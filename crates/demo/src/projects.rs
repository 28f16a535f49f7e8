//! The demo county's building projects of 2020–2021, as the planning office would have
//! entered them: the new 雅堂芙蓉学校, 三中's extension, the vocational school's training building and 湘维分校,
//! five township boarding schools, teacher housing, two rural public kindergartens and one
//! in the county seat, classroom lighting in 35 boarding schools, the digital campus work,
//! and one extension still being built. Their money and what they add are planned so that
//! the 2021 figures, summed from these records, are the work summary's: 3.7344亿元 invested;
//! 新增学位 2,500 compulsory, 2,500 senior and vocational (601 vocational), 900 public
//! preschool; 524 teacher-housing units. Nothing here is random: the projects are placed
//! at schools chosen by name and type in code order.

use chrono::NaiveDate;
use emis_domain::projects::{Adds, Degrees, ProjectCategory};
use emis_domain::registry::{Ownership, School, SchoolType, UrbanRural};

/// One project with its money by year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoProject {
    pub name: String,
    pub category: ProjectCategory,
    pub school_code: Option<String>,
    pub started_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
    pub progress: Option<i64>,
    pub adds: Adds,
    /// (year, 分, 资金来源).
    pub investments: Vec<(i32, i64, &'static str)>,
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a calendar day")
}

/// 万元 as 分.
const fn wan(n: i64) -> i64 {
    n * 1_000_000
}

fn adds(compulsory: i64, senior: i64, vocational: i64, preschool: i64, rooms: i64) -> Adds {
    Adds {
        degrees: Degrees {
            compulsory,
            senior,
            vocational,
            preschool_public: preschool,
        },
        classrooms: rooms,
        housing_units: 0,
    }
}

/// The projects, placed at the county's schools.
pub fn generate(schools: &[School]) -> Vec<DemoProject> {
    let mut sorted: Vec<&School> = schools.iter().collect();
    sorted.sort_by(|a, b| a.code.cmp(&b.code));
    let named = |stem: &str| {
        sorted
            .iter()
            .find(|s| s.name.contains(stem))
            .map(|s| s.code.clone())
    };
    let of = |t: SchoolType, place: UrbanRural, boarding: Option<bool>| -> Vec<&School> {
        sorted
            .iter()
            .copied()
            .filter(|s| s.school_type == t && s.urban_rural == place)
            .filter(|s| s.ownership == Ownership::Public)
            .filter(|s| boarding.is_none_or(|b| s.boarding == b))
            .collect()
    };
    let mut out = Vec::new();
    let mut project = |name: String,
                       category: ProjectCategory,
                       school_code: Option<String>,
                       started_on: NaiveDate,
                       completed_on: Option<NaiveDate>,
                       adds: Adds,
                       investments: Vec<(i32, i64, &'static str)>| {
        out.push(DemoProject {
            name,
            category,
            school_code,
            started_on,
            progress: Some(if completed_on.is_some() { 100 } else { 35 }),
            completed_on,
            adds,
            investments,
        })
    };
    // 2021's money: 12560 + 6800 + 3718 + 6000 + 3144 + 2100 + 611 + 1600 + 811 = 37344 万元.
    project(
        "雅堂芙蓉学校新建工程".into(),
        ProjectCategory::NewSchool,
        named("雅堂芙蓉"),
        day(2020, 3, 16),
        Some(day(2021, 8, 20)),
        adds(2250, 0, 0, 0, 50),
        vec![
            (2020, wan(9000), "地方政府专项债券"),
            (2021, wan(12560), "地方政府专项债券"),
        ],
    );
    project(
        "溆浦县第三中学扩建工程".into(),
        ProjectCategory::Extension,
        named("第三中学"),
        day(2020, 9, 1),
        Some(day(2021, 8, 25)),
        adds(250, 1899, 0, 0, 40),
        vec![(2020, wan(2100), "县本级"), (2021, wan(6800), "省级专项")],
    );
    project(
        "溆浦楚怡职业学校实训大楼及湘维分校改扩建".into(),
        ProjectCategory::Extension,
        named("职业学校"),
        day(2021, 1, 8),
        Some(day(2021, 8, 30)),
        adds(0, 0, 601, 0, 14),
        vec![(2021, wan(3718), "省级专项")],
    );
    // Five township boarding schools: dormitories and canteens, no new places.
    for s in of(SchoolType::Junior, UrbanRural::Town, Some(true))
        .into_iter()
        .take(5)
    {
        project(
            format!("{}寄宿制学校建设", s.name),
            ProjectCategory::Extension,
            Some(s.code.clone()),
            day(2021, 3, 1),
            Some(day(2021, 8, 28)),
            Adds::default(),
            vec![(2021, wan(1200), "中央预算内投资")],
        );
    }
    // Teacher housing: 524 units at eight township schools, 6万元 a unit.
    let units = [60, 72, 48, 80, 64, 56, 72, 72];
    for (s, n) in of(SchoolType::Primary, UrbanRural::Town, None)
        .into_iter()
        .zip(units)
    {
        project(
            format!("{}教师周转宿舍", s.name),
            ProjectCategory::StaffHousing,
            Some(s.code.clone()),
            day(2021, 3, 15),
            Some(day(2021, 11, 30)),
            Adds {
                housing_units: n,
                ..Adds::default()
            },
            vec![(2021, wan(6) * n, "中央预算内投资")],
        );
    }
    // Two rural public kindergartens (270 places each) and the county seat's (360).
    for s in of(SchoolType::Kindergarten, UrbanRural::Town, None)
        .into_iter()
        .take(2)
    {
        project(
            format!("{}改扩建", s.name),
            ProjectCategory::Kindergarten,
            Some(s.code.clone()),
            day(2021, 3, 1),
            Some(day(2021, 8, 15)),
            adds(0, 0, 0, 270, 9),
            vec![(2021, wan(600), "省级专项")],
        );
    }
    project(
        "县城公办幼儿园扩容工程".into(),
        ProjectCategory::Kindergarten,
        of(SchoolType::Kindergarten, UrbanRural::Urban, None)
            .first()
            .map(|s| s.code.clone()),
        day(2021, 2, 20),
        Some(day(2021, 8, 18)),
        adds(0, 0, 0, 360, 12),
        vec![(2021, wan(900), "县本级")],
    );
    project(
        "35所寄宿制学校1222间教室照明改造".into(),
        ProjectCategory::Lighting,
        None,
        day(2021, 6, 20),
        Some(day(2021, 8, 31)),
        Adds::default(),
        vec![(2021, wan(611), "县本级")],
    );
    project(
        "教育信息化2.0（智慧校园）建设".into(),
        ProjectCategory::Digital,
        None,
        day(2021, 4, 1),
        Some(day(2021, 12, 20)),
        Adds::default(),
        vec![(2021, wan(1600), "县本级")],
    );
    // Still being built at the year's end: its places count in the year it is finished.
    project(
        "卢峰镇中学扩建工程".into(),
        ProjectCategory::Extension,
        named("卢峰镇中学"),
        day(2021, 10, 8),
        None,
        adds(900, 0, 0, 0, 18),
        vec![(2021, wan(811), "县本级")],
    );
    // 2020's own: a township school's dormitory, finished that year.
    if let Some(s) = of(SchoolType::Junior, UrbanRural::Town, Some(true)).get(5) {
        project(
            format!("{}学生宿舍", s.name),
            ProjectCategory::Renovation,
            Some(s.code.clone()),
            day(2020, 3, 1),
            Some(day(2020, 8, 25)),
            Adds::default(),
            vec![(2020, wan(1500), "县本级")],
        );
    }
    out
}
