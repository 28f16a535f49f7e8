//! 公文登记: the register, one document with the records that cite its 文号, its file, and
//! the county officers' form (with an optional file: a multipart upload).

use super::{Access::*, Table};
use crate::{api, pages};
use emis_domain::access::Permission as P;

pub(super) fn routes(t: Table) -> Table {
    let reads = Permission(P::WholeSchoolReads);
    let keep = Permission(P::KeepDocuments);
    t.add(
        "GET",
        "/documents",
        reads,
        "公文登记（按年度、类别、发文单位）",
        pages::documents::register,
    )
    .upload(
        "/documents",
        keep,
        "登记公文（可附文件）",
        pages::documents::record,
    )
    .add(
        "GET",
        "/documents/{document}",
        reads,
        "公文详情及引用该文号的记录",
        pages::documents::document,
    )
    .add(
        "GET",
        "/documents/{document}/file",
        reads,
        "下载公文附件",
        pages::documents::file,
    )
    .api(
        "GET",
        "/api/v1/documents",
        reads,
        "公文登记",
        api::documents::register,
    )
    .api(
        "GET",
        "/api/v1/documents/{document}",
        reads,
        "公文详情及引用该文号的记录",
        api::documents::document,
    )
    .api(
        "POST",
        "/api/v1/documents",
        keep,
        "登记公文",
        api::documents::record,
    )
}
