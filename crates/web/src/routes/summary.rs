//! 年度工作总结 and the leadership dashboard: reading is the county's (局领导, 股室), drafting
//! the offices', reviewing and publishing the leader's.

use super::{Access::*, Table};
use crate::{api, pages};
use emis_domain::access::Permission as P;

pub(super) fn routes(t: Table) -> Table {
    let read = Permission(P::ReadSummary);
    let draft = Permission(P::DraftSummary);
    let publish = Permission(P::PublishSummary);
    t.add(
        "GET",
        "/reports/summary",
        read,
        "年度工作总结（章节、起草、审核与预览）",
        pages::summary::summary,
    )
    .add(
        "POST",
        "/reports/summary/start",
        draft,
        "按默认模板开始起草年度工作总结",
        pages::summary::start,
    )
    .add(
        "POST",
        "/reports/summary/section",
        draft,
        "保存或提交本股室章节",
        pages::summary::save_section,
    )
    .add(
        "POST",
        "/reports/summary/return",
        publish,
        "退回章节",
        pages::summary::send_back,
    )
    .add(
        "POST",
        "/reports/summary/publish",
        publish,
        "发布年度工作总结（固定数字）",
        pages::summary::publish,
    )
    .add(
        "GET",
        "/reports/summary/published",
        read,
        "已发布的年度工作总结及发布后的变化",
        pages::summary::published,
    )
    .add(
        "GET",
        "/reports/summary/download",
        read,
        "下载年度工作总结（docx、html、md）",
        pages::summary::download,
    )
    .add(
        "GET",
        "/reports/dashboard",
        read,
        "领导驾驶舱（本年与上年对比）",
        pages::summary::dashboard,
    )
    .api(
        "GET",
        "/api/v1/reports/summary",
        read,
        "年度工作总结的章节、状态与已发布版本",
        api::summary::summary,
    )
    .api(
        "GET",
        "/api/v1/reports/dashboard",
        read,
        "领导驾驶舱数字（本年与上年）",
        api::summary::dashboard,
    )
}
