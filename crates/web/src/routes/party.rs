//! 党建: the branches, a branch's people with their stages and its meeting log, a person's
//! stage history, and the office's forms. The reads and the meeting form are open to any
//! signed-in account at the gate: whether the account is the party office or the branch's
//! secretary is a per-branch question (`emis_domain::party::branch_access`), answered by the
//! services (403 for an account that sees no branch, 404 for another branch).

use super::{Access::*, Table};
use crate::{api, pages};
use emis_domain::access::Permission as P;

pub(super) fn routes(t: Table) -> Table {
    let office = Permission(P::KeepParty);
    t.add(
        "GET",
        "/party",
        SignedIn,
        "党建工作（党支部与年度党员发展指标）",
        pages::party::overview,
    )
    .add(
        "POST",
        "/party/branches",
        office,
        "新建党支部或指定支部书记",
        pages::party::save_branch,
    )
    .add(
        "GET",
        "/party/branches/{branch}",
        SignedIn,
        "党支部成员及发展阶段",
        pages::party::branch,
    )
    .add(
        "POST",
        "/party/branches/{branch}/stages",
        office,
        "登记发展阶段",
        pages::party::record_stage,
    )
    .add(
        "GET",
        "/party/branches/{branch}/meetings",
        SignedIn,
        "三会一课与主题党日记录",
        pages::party::meetings,
    )
    .add(
        "POST",
        "/party/branches/{branch}/meetings",
        SignedIn,
        "登记三会一课或主题党日",
        pages::party::record_meeting,
    )
    .add(
        "GET",
        "/party/people/{person}",
        SignedIn,
        "发展阶段记录（个人）",
        pages::party::person,
    )
    .api(
        "GET",
        "/api/v1/party/branches",
        SignedIn,
        "党支部（党建办全部，支部书记本支部）",
        api::party::branches,
    )
    .api(
        "GET",
        "/api/v1/party/branches/{branch}",
        SignedIn,
        "党支部成员及发展阶段",
        api::party::branch,
    )
    .api(
        "POST",
        "/api/v1/party/branches/{branch}/stages",
        office,
        "登记发展阶段",
        api::party::record_stage,
    )
    .api(
        "GET",
        "/api/v1/party/branches/{branch}/meetings",
        SignedIn,
        "三会一课与主题党日记录",
        api::party::meetings,
    )
    .api(
        "POST",
        "/api/v1/party/branches/{branch}/meetings",
        SignedIn,
        "登记三会一课或主题党日",
        api::party::record_meeting,
    )
    .api(
        "GET",
        "/api/v1/party/people/{person}",
        SignedIn,
        "发展阶段记录（个人）",
        api::party::person,
    )
}
