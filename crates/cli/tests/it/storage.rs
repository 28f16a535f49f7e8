use crate::support::TestDb;
use emis_storage::{registry, Db};

async fn migrations_run_once_and_county_is_created(t: &TestDb) {
    assert!(
        registry::ensure_county(&t.db, &emis_domain::divisions::XUPU)
            .await
            .expect("ensure")
    );
    assert!(
        !registry::ensure_county(&t.db, &emis_domain::divisions::XUPU)
            .await
            .expect("again")
    );
    // Opening again must not re-run migrations or fail.
    let again = Db::open(&t.url).await.expect("reopen");
    assert_eq!(
        registry::counties(&again).await.expect("counties"),
        vec!["431224".to_string()]
    );
    let township = registry::org_unit(&again, "431224100")
        .await
        .expect("query")
        .expect("卢峰镇");
    assert_eq!(township.name, "卢峰镇");
    assert_eq!(township.parent_code.as_deref(), Some("431224"));
}
crate::on_both_engines!(
    migrations_and_county,
    super::migrations_run_once_and_county_is_created
);

/// A database made before checksums were recorded gets them on opening; an applied
/// migration whose text changed is refused, and so is one this build does not know.
async fn migrations_are_checksummed(t: &TestDb) {
    use emis_storage::{MigrationError, StorageError};
    let pool = t.db.pool();
    // As the old code left it: the table without the checksum column.
    sqlx::query("ALTER TABLE schema_migrations DROP COLUMN checksum")
        .execute(pool)
        .await
        .expect("drop column");
    let reopened = Db::open(&t.url).await.expect("old database opens");
    let missing: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM schema_migrations WHERE checksum IS NULL")
            .fetch_one(reopened.pool())
            .await
            .expect("count");
    assert_eq!(missing, 0, "checksums recorded for the old rows");
    let checksum: String =
        sqlx::query_scalar("SELECT checksum FROM schema_migrations WHERE version = 1")
            .fetch_one(reopened.pool())
            .await
            .expect("checksum");
    assert_eq!(checksum.len(), 64, "SHA-256 in hex");
    reopened.close().await;

    sqlx::query("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1")
        .execute(pool)
        .await
        .expect("tamper");
    match Db::open(&t.url).await {
        Err(StorageError::Migration(MigrationError::Changed { version, .. })) => {
            assert_eq!(version, 1)
        }
        other => panic!("a changed migration must be refused, got {other:?}"),
    }
    sqlx::query("UPDATE schema_migrations SET checksum = $1 WHERE version = 1")
        .bind(&checksum)
        .execute(pool)
        .await
        .expect("restore");

    sqlx::query(
        "INSERT INTO schema_migrations (version, name, applied_at, checksum) VALUES (9999, 'future', '2030-01-01T00:00:00Z', 'x')",
    )
    .execute(pool)
    .await
    .expect("future row");
    match Db::open(&t.url).await {
        Err(StorageError::Migration(MigrationError::Unknown { version, .. })) => {
            assert_eq!(version, 9999)
        }
        other => panic!("a migration of a newer build must be refused, got {other:?}"),
    }
}
crate::on_both_engines!(migrations_checksummed, super::migrations_are_checksummed);

/// Migration 15 rebuilds the roll table on SQLite (to drop two repeated keys): run again on
/// a database with a roll, every entry stays, and the keys that remain still hold.
async fn the_roll_table_rebuild_keeps_every_entry(t: &TestDb) {
    use crate::support::{
        autumn_roll, county_with_schools, student_row, TOWN_JUNIOR, URBAN_PRIMARY,
    };
    county_with_schools(t).await;
    let mut rows: Vec<Vec<String>> = (1..=30)
        .map(|n| student_row(URBAN_PRIMARY, n, "三年级", 1 + n % 3))
        .collect();
    rows.extend((31..=45).map(|n| student_row(TOWN_JUNIOR, n, "八年级", 1)));
    autumn_roll(t, &rows).await;
    let per_class = |db: &Db| {
        let pool = db.pool().clone();
        async move {
            sqlx::query_as::<_, (String, String, i64, i64)>(
                "SELECT e.school_code, c.grade, c.number, COUNT(*) FROM enrollments e \
                 JOIN classes c ON c.id = e.class_id GROUP BY e.school_code, c.grade, c.number \
                 ORDER BY 1, 2, 3",
            )
            .fetch_all(&pool)
            .await
            .expect("per class")
        }
    };
    let before = per_class(&t.db).await;
    assert_eq!(before.iter().map(|r| r.3).sum::<i64>(), 45);
    emis_storage::testing::rerun_migration(&t.db, 15)
        .await
        .expect("rerun");
    assert_eq!(per_class(&t.db).await, before);
    // The class and student keys still refuse an entry for a class that does not exist.
    let student: i64 = sqlx::query_scalar("SELECT MIN(student_id) FROM enrollments")
        .fetch_one(t.db.pool())
        .await
        .expect("student");
    let orphan = sqlx::query(
        "INSERT INTO enrollments (student_id, term, county, school_code, class_id, grade, boarding, status) \
         VALUES ($1, '2022-spring', '431224', $2, 999999, '三年级', 0, '在读')",
    )
    .bind(student)
    .bind(URBAN_PRIMARY)
    .execute(t.db.pool())
    .await;
    assert!(orphan.is_err(), "an entry for a missing class is refused");
    // The imports' lists still find the roll by school and term.
    let roll = emis_storage::registry::roll(&t.db, "431224", "2021-autumn")
        .await
        .expect("roll");
    assert_eq!(roll.len(), 45);
}
crate::on_both_engines!(
    roll_table_rebuild,
    super::the_roll_table_rebuild_keeps_every_entry
);
