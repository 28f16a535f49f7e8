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
