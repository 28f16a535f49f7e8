//! 双减: the institutions import (GB 32100 credit codes, status changes as dated events
//! counted once), the after-school import and form (the registry's roll as the bound), the
//! rates and indicators for the county, a township and a school, the 专项督查 on the hazard
//! ledger's workflow, and the pages.

use crate::support::*;
use emis_domain::double_reduction::credit_code;

mod after_school;
mod institutions;
mod supervision;

/// A valid credit code for the n-th test institution.
pub fn code(n: u32) -> String {
    credit_code::compose(&format!("52431224MA4L{n:05}")).expect("body")
}

/// Two institutions for the route walk: one of 卢峰镇 (the urban school's township) and one of
/// 龙潭镇 (the township account's): (own, other).
pub async fn institution_records(t: &TestDb) -> (i64, i64) {
    let file = t.write(
        "institutions.csv",
        format!(
            "机构名称,统一社会信用代码,类别,所在乡镇,办学许可证号\n\
             卢峰镇启智培训学校,{},学科类,卢峰镇,教民1431224700101号\n\
             龙潭镇阳光艺术培训中心,{},非学科类,龙潭镇,教民1431224700102号\n",
            code(101),
            code(102)
        ),
    );
    import_committed(
        t,
        emis_app::imports::ImportKind::Institutions,
        &file,
        &Default::default(),
    )
    .await;
    let all = emis_storage::double_reduction::institutions(&t.db, "431224")
        .await
        .expect("institutions");
    let id = |c: String| all.iter().find(|i| i.credit_code == c).expect("stored").id;
    (id(code(101)), id(code(102)))
}
