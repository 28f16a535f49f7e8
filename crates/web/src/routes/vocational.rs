//! 职业教育: programmes with partners, agreements and intake by year, and the 职成股's forms.

use super::{Access::*, Table};
use crate::{api, pages};
use emis_domain::access::Permission as P;

pub(super) fn routes(t: Table) -> Table {
    let reads = Permission(P::WholeSchoolReads);
    let keep = Permission(P::KeepVocational);
    t.add(
        "GET",
        "/vocational",
        reads,
        "职业教育（专业、合作院校与协议、年度招生）",
        pages::vocational::overview,
    )
    .add(
        "POST",
        "/vocational/programmes",
        keep,
        "登记专业与合作协议",
        pages::vocational::record_programme,
    )
    .add(
        "POST",
        "/vocational/intakes",
        keep,
        "登记专业年度招生人数",
        pages::vocational::record_intake,
    )
    .api(
        "GET",
        "/api/v1/vocational",
        reads,
        "职业教育专业、协议与招生",
        api::vocational::overview,
    )
    .api(
        "POST",
        "/api/v1/vocational/programmes",
        keep,
        "登记专业与合作协议",
        api::vocational::record_programme,
    )
    .api(
        "POST",
        "/api/v1/vocational/intakes",
        keep,
        "登记专业年度招生人数",
        api::vocational::record_intake,
    )
}
