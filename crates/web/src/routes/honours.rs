//! 荣誉与竞赛: the register of a year with its summary, and the offices' form.

use super::{Access::*, Table};
use crate::{api, pages};
use emis_domain::access::Permission as P;

pub(super) fn routes(t: Table) -> Table {
    let reads = Permission(P::WholeSchoolReads);
    t.add(
        "GET",
        "/honours",
        reads,
        "荣誉与竞赛（特色学校、荣誉称号、竞赛成绩汇总）",
        pages::honours::register,
    )
    .add(
        "POST",
        "/honours",
        Permission(P::KeepHonours),
        "登记荣誉或竞赛成绩",
        pages::honours::record,
    )
    .api(
        "GET",
        "/api/v1/honours",
        reads,
        "荣誉与竞赛登记及年度汇总",
        api::honours::register,
    )
    .api(
        "POST",
        "/api/v1/honours",
        Permission(P::KeepHonours),
        "登记荣誉或竞赛成绩",
        api::honours::record,
    )
}
