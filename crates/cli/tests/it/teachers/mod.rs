//! 教师队伍: the imports (trainings, funded-normal, studios, awards) with their refusals and
//! round trips, the staffing picture, the award workflow with its fund and conduct flag,
//! conduct cases, the `staff.*` indicators, and the pages. Here: the teacher records the
//! web fixture and these tests share.

use crate::support::*;
use emis_app::imports::ImportKind;
use emis_domain::identity::IdNumber;

mod awards;
mod imports;
mod pages;
mod staffing;

/// A valid ID number for the n-th test teacher (born in the 1980s).
pub fn teacher_id(n: u32) -> String {
    let birth = chrono::NaiveDate::from_ymd_opt(1980 + (n % 10) as i32, 1 + n % 12, 1 + n % 28)
        .expect("date");
    IdNumber::compose("431224", birth, (500 + n % 400) as u16)
        .as_str()
        .to_string()
}

fn sex_of(id: &str) -> &'static str {
    IdNumber::parse(id).expect("valid").sex().label()
}

/// The staff sheet: teachers 0–3 at the urban primary school (语文, 数学, 英语, 数学),
/// teachers 4–6 at the town junior school (物理, 语文, 英语); teacher 2 started in 2021 by
/// 公开招聘, teacher 5 by 公费师范生.
pub fn staff_csv() -> String {
    let mut text =
        String::from("学校标识码,姓名,性别,身份证件号,岗位类别,任教学科,职称,补充渠道,入职日期\n");
    let rows = [
        (
            URBAN_PRIMARY,
            "向春花",
            "语文",
            "一级教师",
            "公开招聘",
            "2010-09-01",
        ),
        (
            URBAN_PRIMARY,
            "舒建国",
            "数学",
            "高级教师",
            "调入",
            "2005-09-01",
        ),
        (
            URBAN_PRIMARY,
            "张晓燕",
            "英语",
            "二级教师",
            "公开招聘",
            "2021-09-01",
        ),
        (
            URBAN_PRIMARY,
            "李明",
            "数学",
            "一级教师",
            "特岗计划",
            "2015-09-01",
        ),
        (
            TOWN_JUNIOR,
            "王志强",
            "物理",
            "一级教师",
            "特岗计划",
            "2012-09-01",
        ),
        (
            TOWN_JUNIOR,
            "刘芳",
            "语文",
            "二级教师",
            "公费师范生",
            "2021-08-25",
        ),
        (
            TOWN_JUNIOR,
            "陈刚",
            "英语",
            "高级教师",
            "公开招聘",
            "2001-09-01",
        ),
    ];
    for (n, (school, name, subject, title, channel, start)) in rows.iter().enumerate() {
        let id = teacher_id(n as u32);
        text.push_str(&format!(
            "{school},{name},{},{id},专任教师,{subject},{title},{channel},{start}\n",
            sex_of(&id)
        ));
    }
    text
}

/// The records the route walk needs on both sides of every narrow scope.
#[derive(Clone, Copy, Debug, Default)]
pub struct TeacherRecords {
    /// Staff rows: teacher 0 (urban primary) and teacher 4 (town junior).
    pub own_staff: i64,
    pub other_staff: i64,
    /// A training of only the urban school's teacher, and one of only the town school's.
    pub own_training: i64,
    pub other_training: i64,
    pub studio: i64,
    /// Awards proposed for each of the two teachers.
    pub own_award: i64,
    pub other_award: i64,
    /// A conduct case of the town school's teacher.
    pub conduct_case: i64,
}

/// Imports the staff, two trainings and a studio, proposes an award for each side and
/// opens a conduct case (as the county office).
pub async fn teacher_records(t: &TestDb) -> TeacherRecords {
    let staff = t.write("staff.csv", staff_csv());
    import_committed(t, ImportKind::Staff, &staff, &Default::default()).await;
    let trainings = t.write(
        "trainings.csv",
        format!(
            "培训项目,级别,开始日期,结束日期,身份证件号,学时\n\
             城区小学语文研修,县级,2021-10-10,2021-10-12,{},24\n\
             龙潭镇中学物理实验培训,县级,2021-11-05,2021-11-06,{},12\n",
            teacher_id(0),
            teacher_id(4)
        ),
    );
    import_committed(t, ImportKind::Trainings, &trainings, &Default::default()).await;
    let studios = t.write(
        "studios.csv",
        format!(
            "工作室名称,类别,主持人身份证件号,成立日期,学科,成员身份证件号\n\
             溆浦县初中物理学科工作室,学科工作室,{},2020-03-01,物理,{}、{}\n",
            teacher_id(4),
            teacher_id(5),
            teacher_id(0)
        ),
    );
    import_committed(t, ImportKind::Studios, &studios, &Default::default()).await;
    let db = &t.db;
    let officer = account_of(
        "officer",
        emis_domain::access::Role::Officer,
        emis_domain::access::Scope::County {
            county: "431224".into(),
        },
    );
    let id_of = |n: u32| {
        let id = teacher_id(n);
        async move {
            emis_storage::teachers::staff_id(db, "431224", &id)
                .await
                .expect("read")
                .expect("on the roll")
        }
    };
    let (own_staff, other_staff) = (id_of(0).await, id_of(4).await);
    let training_id = |name: &'static str| async move {
        emis_storage::teachers::trainings_by_key(db, "431224")
            .await
            .expect("trainings")
            .into_values()
            .find(|t| t.name == name)
            .expect("training")
            .id
    };
    let day = chrono::NaiveDate::from_ymd_opt(2021, 12, 1).expect("date");
    let propose = |staff: i64| {
        let officer = officer.clone();
        async move {
            let form = emis_app::teachers::awards::Proposal {
                staff: staff.to_string(),
                title: "优秀教师".into(),
                granting_body: "溆浦县教育局".into(),
                amount: "3000".into(),
                merits: "教学成绩突出".into(),
            };
            emis_app::teachers::awards::propose(db, &officer, &form, day, "test")
                .await
                .expect("proposed")
        }
    };
    let case = emis_app::teachers::conduct::ConductCaseForm {
        staff: other_staff.to_string(),
        campaign: None,
        reported_on: "2021-11-20".into(),
        source: "信访举报".into(),
        summary: "收受家长礼品".into(),
    };
    TeacherRecords {
        own_staff,
        other_staff,
        own_training: training_id("城区小学语文研修").await,
        other_training: training_id("龙潭镇中学物理实验培训").await,
        studio: emis_storage::teachers::studios(db, "431224")
            .await
            .expect("studios")[0]
            .id,
        own_award: propose(own_staff).await,
        other_award: propose(other_staff).await,
        conduct_case: emis_app::teachers::conduct::open_case(db, &officer, &case, day, "test")
            .await
            .expect("opened"),
    }
}
