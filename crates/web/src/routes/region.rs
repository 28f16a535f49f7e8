//! 区域汇总: a region account's roll-up of its counties (page, 导出, JSON).

use super::{Access::*, Table};
use crate::{api, pages};
use emis_domain::access::Permission as P;

pub(super) fn routes(t: Table) -> Table {
    t.add(
        "GET",
        "/region",
        Permission(P::ReadRegion),
        "各县主要指标（市州/省）",
        pages::region::rollup,
    )
    .add(
        "GET",
        "/region/export",
        Permission(P::ReadRegion),
        "导出各县主要指标",
        pages::region::export,
    )
    .api(
        "GET",
        "/api/v1/region/rollup",
        Permission(P::ReadRegion),
        "各县主要指标与区域合计",
        api::region::rollup,
    )
}
