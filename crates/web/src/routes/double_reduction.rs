//! 双减: the training-institution register and status changes, after-school service, and
//! the year's figures of the account's org unit.

use super::{Access::*, Table};
use crate::{api, pages};
use emis_domain::access::Permission as P;

pub(super) fn routes(t: Table) -> Table {
    let reads = Permission(P::WholeSchoolReads);
    t.add(
        "GET",
        "/double-reduction",
        reads,
        "双减工作概况（本单位年度指标）",
        pages::double_reduction::overview,
    )
    .add(
        "GET",
        "/double-reduction/institutions",
        reads,
        "校外培训机构台账",
        pages::double_reduction::institutions,
    )
    .add(
        "GET",
        "/double-reduction/institutions/{institution}",
        reads,
        "校外培训机构及状态变更记录",
        pages::double_reduction::institution,
    )
    .add(
        "POST",
        "/double-reduction/institutions/{institution}/status",
        Permission(P::KeepInstitutions),
        "登记机构状态变更（关停、注销、转型等）",
        pages::double_reduction::record_change,
    )
    .add(
        "GET",
        "/double-reduction/after-school",
        reads,
        "课后服务开展与5+2达标",
        pages::double_reduction::after_school,
    )
    .add(
        "POST",
        "/double-reduction/after-school",
        Permission(P::RecordAfterSchool),
        "填报学校课后服务",
        pages::double_reduction::save_after_school,
    )
    .api(
        "GET",
        "/api/v1/double-reduction/indicators",
        reads,
        "双减与课后服务年度指标（本单位）",
        api::double_reduction::indicators,
    )
    .api(
        "GET",
        "/api/v1/double-reduction/institutions",
        reads,
        "校外培训机构台账",
        api::double_reduction::institutions,
    )
    .api(
        "GET",
        "/api/v1/double-reduction/institutions/{institution}",
        reads,
        "校外培训机构及状态变更记录",
        api::double_reduction::institution,
    )
    .api(
        "POST",
        "/api/v1/double-reduction/institutions/{institution}/status",
        Permission(P::KeepInstitutions),
        "登记机构状态变更",
        api::double_reduction::record_change,
    )
    .api(
        "GET",
        "/api/v1/double-reduction/after-school",
        reads,
        "课后服务（按学期）",
        api::double_reduction::after_school,
    )
    .api(
        "POST",
        "/api/v1/double-reduction/after-school",
        Permission(P::RecordAfterSchool),
        "填报学校课后服务",
        api::double_reduction::save_after_school,
    )
}
