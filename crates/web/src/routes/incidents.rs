//! 安全事故登记: the register with its counts, one incident with its follow-up steps, and
//! the schools' forms (a step of 结案 is the bureau's, checked by the service).

use super::{Access::*, Table};
use crate::{api, pages};
use emis_domain::access::Permission as P;

pub(super) fn routes(t: Table) -> Table {
    let reads = Permission(P::WholeSchoolReads);
    let record = Permission(P::RecordHazards);
    t.add(
        "GET",
        "/incidents",
        reads,
        "安全事故登记（按年度、类别、乡镇统计）",
        pages::incidents::register,
    )
    .add(
        "POST",
        "/incidents",
        record,
        "登记安全事故",
        pages::incidents::record,
    )
    .add(
        "GET",
        "/incidents/{incident}",
        reads,
        "安全事故详情及处理经过",
        pages::incidents::incident,
    )
    .add(
        "POST",
        "/incidents/{incident}/steps",
        record,
        "登记事故处置、报告、整改或结案",
        pages::incidents::add_step,
    )
    .api(
        "GET",
        "/api/v1/incidents",
        reads,
        "安全事故登记及统计",
        api::incidents::register,
    )
    .api(
        "GET",
        "/api/v1/incidents/{incident}",
        reads,
        "安全事故详情",
        api::incidents::incident,
    )
    .api(
        "POST",
        "/api/v1/incidents",
        record,
        "登记安全事故",
        api::incidents::record,
    )
    .api(
        "POST",
        "/api/v1/incidents/{incident}/steps",
        record,
        "登记事故后续处理",
        api::incidents::add_step,
    )
}
