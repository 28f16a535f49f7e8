//! 全市比对: a child on the county's population roll who is at school in another county of
//! the city is suspected in the county's own comparison and found in the city's.

use super::*;

/// 鹤城区's roll for 2021 autumn: the child 溆浦县 cannot find (moved to a 鹤城区 school),
/// and two of its own.
async fn hecheng_roll(t: &TestDb) {
    registry::ensure_county(&t.db, &HECHENG)
        .await
        .expect("county");
    let schools = t.path("hecheng-schools.csv");
    std::fs::write(
        &schools,
        "学校标识码,学校名称,办学类型,所在乡镇,城乡类别,办学性质,寄宿制\n\
         2143120001,鹤城区城中小学,小学,城中街道,城区,公办,否\n",
    )
    .expect("schools");
    let run = |kind, path: std::path::PathBuf| {
        let db = t.db.clone();
        async move {
            let report = emis_app::imports::import_file(
                &db,
                HECHENG.code,
                kind,
                &path,
                &autumn_2021(),
                &Actor::cli(),
                &emis_app::NoProgress,
            )
            .await
            .expect("import runs");
            assert!(report.committed, "{:?}", report.problems);
        }
    };
    run(emis_app::imports::ImportKind::Schools, schools).await;
    let moved = missing_child();
    let mut rows = vec![vec![
        "2143120001".to_string(),
        "龙潭孩子".to_string(),
        sex_of(&moved).to_string(),
        moved,
        "五年级".to_string(),
        "1".to_string(),
    ]];
    for n in [901, 902] {
        rows.push(student_row("2143120001", n, "三年级", 1));
    }
    let students = t.path("hecheng-students.xlsx");
    write_xlsx(&students, &STUDENT_HEADERS, &rows);
    run(emis_app::imports::ImportKind::Students, students).await;
}

async fn a_child_at_school_in_another_county_is_found_by_the_city(t: &TestDb) {
    with_roll(t).await;
    let report = import(t, &population_file(t)).await;
    assert!(report.import.committed, "{:?}", report.import.problems);
    assert_eq!(report.counts.suspected, 2);
    hecheng_roll(t).await;

    let counties = [COUNTY.to_string(), HECHENG.code.to_string()];
    let city = dropout::compare_counties(&t.db, &counties, 2021)
        .await
        .expect("compared");
    let xupu = &city.counties[0];
    assert_eq!(xupu.snapshot_date.as_deref(), Some("2021-09-15"));
    assert_eq!(xupu.school_age, report.counts.school_age);
    assert_eq!(xupu.suspected_in_county, 2);
    // The child of 龙潭镇 is at school in 鹤城区; 学生3 under another number still is not.
    assert_eq!(xupu.suspected_in_region, 1);
    assert_eq!(xupu.found_elsewhere(), 1);
    // 鹤城区 has no population roll that year: compared as nothing, not as zero dropouts.
    let hecheng = &city.counties[1];
    assert_eq!(hecheng.snapshot_date, None);
    assert_eq!(hecheng.school_age, 0);
    assert_eq!(city.persons, report.import.valid_rows);
    assert_eq!(city.roll, 13);
    assert_eq!(city.counts.suspected, 1);

    // The county alone: the region's comparison gives the county's own figures.
    let alone = dropout::compare_counties(&t.db, &counties[..1], 2021)
        .await
        .expect("compared");
    assert_eq!(alone.counties[0].suspected_in_region, 2);
    assert_eq!(alone.counts.suspected, report.counts.suspected);
    assert_eq!(alone.counts.school_age, report.counts.school_age);
}
on_both_engines!(
    city_comparison,
    super::a_child_at_school_in_another_county_is_found_by_the_city
);
