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
