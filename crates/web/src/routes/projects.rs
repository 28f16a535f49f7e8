//! 建设项目: the register with the year's figures, one project with its money by year, and
//! the planning office's forms for a year's investment and for progress and completion.

use super::{Access::*, Table};
use crate::{api, pages};
use emis_domain::access::Permission as P;

pub(super) fn routes(t: Table) -> Table {
    let reads = Permission(P::WholeSchoolReads);
    let keep = Permission(P::KeepProjects);
    t.add(
        "GET",
        "/projects",
        reads,
        "建设项目台账（年度投资与新增学位）",
        pages::projects::register,
    )
    .add(
        "GET",
        "/projects/{project}",
        reads,
        "建设项目详情（分年度投资、进度与新增）",
        pages::projects::project,
    )
    .add(
        "POST",
        "/projects/{project}/investments",
        keep,
        "登记项目年度投资",
        pages::projects::record_investment,
    )
    .add(
        "POST",
        "/projects/{project}/progress",
        keep,
        "登记项目进度与竣工",
        pages::projects::record_progress,
    )
    .api(
        "GET",
        "/api/v1/projects",
        reads,
        "建设项目台账与年度数据",
        api::projects::register,
    )
    .api(
        "GET",
        "/api/v1/projects/{project}",
        reads,
        "建设项目详情",
        api::projects::project,
    )
    .api(
        "POST",
        "/api/v1/projects/{project}/investments",
        keep,
        "登记项目年度投资",
        api::projects::record_investment,
    )
    .api(
        "POST",
        "/api/v1/projects/{project}/progress",
        keep,
        "登记项目进度与竣工",
        api::projects::record_progress,
    )
}
