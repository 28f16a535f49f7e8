//! The one list component of the pages: the filters (pickers with search for schools and
//! townships, drop-downs for terms, grades and statuses), 查询 / 重置 / 导出, sortable column
//! headers, and the pager with page size, jump-to-page and a true total. A page builds a
//! [`List`] from its request ([`Paging`] plus its own filters), asks storage for one page
//! with the same filters (paging and filtering happen in SQL), and its template includes
//! `list_filters.html` above the table and `list_pager.html` below it.
//!
//! Filter forms are GET forms: they carry no CSRF token, so none lands in the address bar.

use crate::session::urlencode;
use emis_app::registry::queries::Page;
use emis_domain::text::escape_markup;
use serde::Deserialize;
use std::sync::Arc;

/// The page sizes offered.
pub const PAGE_SIZES: &[i64] = &[20, 50, 100, 200];
/// The page size when none (or one not offered) is asked for.
pub const DEFAULT_SIZE: i64 = 50;

/// The paging and order of a list request, flattened into each page's own query struct.
/// Every field is text: the query string is the user's, and a bad number falls back to the
/// default instead of refusing the page.
#[derive(Deserialize, Default, Clone, Debug)]
pub struct Paging {
    pub page: Option<String>,
    pub size: Option<String>,
    pub sort: Option<String>,
    pub desc: Option<String>,
}

impl Paging {
    /// The 1-based page asked for.
    pub fn page(&self) -> i64 {
        self.page
            .as_deref()
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or(1)
            .max(1)
    }

    /// The page size asked for, if it is one of [`PAGE_SIZES`].
    pub fn size(&self) -> i64 {
        self.size
            .as_deref()
            .and_then(|s| s.trim().parse().ok())
            .filter(|s| PAGE_SIZES.contains(s))
            .unwrap_or(DEFAULT_SIZE)
    }

    /// The sort column asked for, if the page allows it (the storage query turns the
    /// column's key into its own ORDER BY; the request's text never reaches SQL).
    pub fn sort(&self, allowed: &[&str]) -> Option<String> {
        self.sort
            .as_deref()
            .filter(|s| allowed.contains(s))
            .map(str::to_string)
    }

    pub fn desc(&self) -> bool {
        self.desc.as_deref() == Some("1")
    }
}

/// How a filter is asked for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FilterKind {
    /// A drop-down of `options`; the first (value "") means all.
    Select,
    /// A text box with a searchable list of `options` (`<datalist>`): the name is typed or
    /// picked and resolved to its code on the server ([`resolve`]).
    Pick,
    /// Free text (a name or ID number search).
    Text,
    /// A day (`<input type="date">`, ISO).
    Date,
    /// A box ticked for "1" (仅逾期).
    Check,
}

pub struct Filter {
    pub name: &'static str,
    pub label: &'static str,
    /// The value as the field shows it (a school's name, not its code).
    pub value: String,
    pub kind: FilterKind,
    /// (value, label) of a drop-down.
    pub options: Vec<(String, String)>,
    /// A picker's `<option>` list, rendered and escaped once per scope ([`ChoiceList`]).
    pub datalist: Arc<str>,
    pub placeholder: &'static str,
    /// Why the value was refused (shown beside the field), else empty.
    pub error: String,
}

impl Filter {
    pub fn select(
        name: &'static str,
        label: &'static str,
        value: &str,
        all: &str,
        options: Vec<(String, String)>,
    ) -> Filter {
        let mut all_options = Vec::with_capacity(options.len() + 1);
        if !all.is_empty() {
            all_options.push((String::new(), all.to_string()));
        }
        all_options.extend(options);
        Filter {
            name,
            label,
            value: value.to_string(),
            kind: FilterKind::Select,
            options: all_options,
            datalist: Arc::from(""),
            placeholder: "",
            error: String::new(),
        }
    }

    /// A drop-down of labels that are their own values (年级, 状态).
    pub fn labels(
        name: &'static str,
        label: &'static str,
        value: &str,
        all: &str,
        labels: &[&str],
    ) -> Filter {
        let options = labels
            .iter()
            .map(|l| (l.to_string(), l.to_string()))
            .collect();
        Filter::select(name, label, value, all, options)
    }

    pub fn text(
        name: &'static str,
        label: &'static str,
        value: &str,
        placeholder: &'static str,
    ) -> Filter {
        Filter {
            name,
            label,
            value: value.to_string(),
            kind: FilterKind::Text,
            options: Vec::new(),
            datalist: Arc::from(""),
            placeholder,
            error: String::new(),
        }
    }

    /// A day, as an ISO date field.
    pub fn date(name: &'static str, label: &'static str, value: &str) -> Filter {
        Filter {
            kind: FilterKind::Date,
            ..Filter::text(name, label, value, "")
        }
    }

    /// A box that asks for "1" when ticked; unticked it asks for nothing.
    pub fn check(name: &'static str, label: &'static str, ticked: bool) -> Filter {
        Filter {
            kind: FilterKind::Check,
            ..Filter::text(name, label, if ticked { "1" } else { "" }, "")
        }
    }

    /// A picker with search over `choices` (their names, with code and hint beside).
    pub fn pick(
        name: &'static str,
        label: &'static str,
        picked: &Picked,
        choices: &ChoiceList,
    ) -> Filter {
        Filter {
            name,
            label,
            value: picked.shown.clone(),
            kind: FilterKind::Pick,
            options: Vec::new(),
            datalist: choices.datalist.clone(),
            placeholder: "输入名称搜索",
            error: picked.error.clone(),
        }
    }

    pub fn is_select(&self) -> bool {
        self.kind == FilterKind::Select
    }

    pub fn is_pick(&self) -> bool {
        self.kind == FilterKind::Pick
    }

    pub fn is_date(&self) -> bool {
        self.kind == FilterKind::Date
    }

    pub fn is_check(&self) -> bool {
        self.kind == FilterKind::Check
    }
}

/// One choice of a picker: a school or a township the account may see.
#[derive(Clone, Debug)]
pub struct Choice {
    pub code: String,
    pub name: String,
    /// Shown beside the name in the list (the code and the township).
    pub hint: String,
}

/// A picker's choices with their `<option>` list rendered once: a county offers hundreds
/// of schools on every list page, and rendering them per request was a large part of the page's
/// own work. Reads as the slice of choices.
#[derive(Clone, Debug)]
pub struct ChoiceList {
    items: Vec<Choice>,
    datalist: Arc<str>,
}

impl ChoiceList {
    pub fn new(items: Vec<Choice>) -> ChoiceList {
        let mut datalist = String::new();
        for c in &items {
            datalist.push_str(&format!(
                "<option value=\"{}\">{} {}</option>",
                escape_markup(&c.name),
                escape_markup(&c.code),
                escape_markup(&c.hint)
            ));
        }
        ChoiceList {
            items,
            datalist: datalist.into(),
        }
    }
}

impl std::ops::Deref for ChoiceList {
    type Target = [Choice];

    fn deref(&self) -> &[Choice] {
        &self.items
    }
}

/// A picker's value resolved: the code to filter by, the name to show again, and the
/// refusal when the value names nothing the account may choose.
#[derive(Clone, Debug, Default)]
pub struct Picked {
    pub code: Option<String>,
    pub shown: String,
    pub error: String,
}

/// Resolves what was typed or picked (a name, or a code from a link) against the choices
/// the account has; anything else is refused with the reason beside the field.
pub fn resolve(value: Option<&str>, choices: &[Choice], what: &str) -> Picked {
    let value = value.map(str::trim).unwrap_or_default();
    if value.is_empty() {
        return Picked::default();
    }
    match choices
        .iter()
        .find(|c| c.code == value)
        .or_else(|| choices.iter().find(|c| c.name == value))
    {
        Some(c) => Picked {
            code: Some(c.code.clone()),
            shown: c.name.clone(),
            error: String::new(),
        },
        None => Picked {
            code: None,
            shown: value.to_string(),
            error: format!("没有名为“{value}”的{what}（或不在本账号的管理范围内），请从列表中选择"),
        },
    }
}

/// The schools the account may see, as picker choices.
pub fn school_choices(
    schools: &[emis_domain::registry::School],
    townships: &[(String, String)],
) -> ChoiceList {
    let mut choices: Vec<Choice> = schools
        .iter()
        .map(|s| Choice {
            code: s.code.clone(),
            name: s.name.clone(),
            hint: townships
                .iter()
                .find(|(code, _)| *code == s.township_code)
                .map(|(_, name)| name.clone())
                .unwrap_or_default(),
        })
        .collect();
    choices.sort_by(|a, b| a.code.cmp(&b.code));
    ChoiceList::new(choices)
}

/// The townships the account may see, as picker choices.
pub fn township_choices(townships: &[(String, String)]) -> ChoiceList {
    ChoiceList::new(
        townships
            .iter()
            .map(|(code, name)| Choice {
                code: code.clone(),
                name: name.clone(),
                hint: String::new(),
            })
            .collect(),
    )
}

/// Runs a page query for the page asked; a page past the end (a link kept after rows went,
/// a typed jump) asks again for the last page, as the pager then shows.
pub async fn fetch_page<T, E, F, Fut>(asked: i64, fetch: F) -> Result<Page<T>, E>
where
    F: Fn(i64) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T>, E>>,
{
    let first = fetch(asked).await?;
    if asked > 1 && first.items.is_empty() && first.total > 0 {
        return fetch(first.pages()).await;
    }
    Ok(first)
}

/// The page asked for through `fetch` ([`fetch_page`]); no rows when a filter was refused,
/// whose reason is shown beside it instead.
pub async fn rows_of<T, E, F, Fut>(
    refused: bool,
    asked: i64,
    per_page: i64,
    fetch: F,
) -> Result<Page<T>, E>
where
    F: Fn(i64) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T>, E>>,
{
    if refused {
        return Ok(no_rows(per_page));
    }
    fetch_page(asked, fetch).await
}

/// An empty page (a refused filter lists nothing).
pub fn no_rows<T>(per_page: i64) -> Page<T> {
    Page {
        items: Vec::new(),
        total: 0,
        page: 1,
        per_page,
    }
}

/// The township and school a list was asked for, resolved against the account's choices,
/// with their pickers (none for a school's account: its lists are its own school's).
pub struct Place {
    pub township: Picked,
    pub school: Picked,
    pub pickers: Vec<Filter>,
}

/// What the account may pick on a list: the townships and schools of its scope.
pub struct Choices {
    pub townships: ChoiceList,
    pub schools: ChoiceList,
}

impl Choices {
    /// Resolves the township and school asked for and makes their pickers, offered to
    /// county and township accounts.
    pub fn place(
        &self,
        account: &emis_app::auth::Account,
        township: Option<&str>,
        school: Option<&str>,
    ) -> Place {
        let township = resolve(township, &self.townships, "乡镇");
        let school = resolve(school, &self.schools, "学校");
        let mut pickers = Vec::new();
        if matches!(
            account.scope,
            emis_domain::access::Scope::County { .. } | emis_domain::access::Scope::Township { .. }
        ) {
            pickers.push(Filter::pick("township", "乡镇", &township, &self.townships));
            pickers.push(Filter::pick("school", "学校", &school, &self.schools));
        }
        Place {
            township,
            school,
            pickers,
        }
    }

    /// The account's choices, shared per scope for a while ([`crate::fresh`]): every list
    /// page offers them, and schools and townships change seldom.
    pub async fn of(
        state: &crate::AppState,
        account: &emis_app::auth::Account,
    ) -> Result<Arc<Choices>, emis_app::AppError> {
        let key = format!("{:?}", account.scope);
        let shared = state
            .choices
            .get_or(key, || async {
                let db = &state.db;
                let townships = emis_app::registry::queries::townships(db, account).await?;
                let schools = emis_app::registry::queries::schools_in_scope(db, account).await?;
                Ok::<_, emis_app::AppError>(Choices {
                    schools: school_choices(&schools, &townships),
                    townships: township_choices(&townships),
                })
            })
            .await?;
        Ok(shared)
    }
}

/// The codes of the terms that have roll data in the account's county (not the server's:
/// a city's server holds many), oldest first; shared per county for a while
/// ([`crate::fresh`]), as every list page and the API's lists ask for them.
pub async fn term_codes(
    state: &crate::AppState,
    account: &emis_app::auth::Account,
) -> Result<Arc<Vec<String>>, emis_app::AppError> {
    let county = account.county();
    state
        .terms
        .get_or(county.to_string(), || {
            emis_app::registry::queries::all_terms(&state.db, county)
        })
        .await
}

/// A list as its page shows it around the rows.
pub struct List {
    pub base: String,
    pub filters: Vec<Filter>,
    pub page: i64,
    pub pages: i64,
    pub size: i64,
    pub total: i64,
    /// The total as shown: the number, or "约 N" when counting stopped at a cap.
    pub total_label: String,
    /// Why the total is not exact, else empty.
    pub total_note: String,
    pub sort: Option<String>,
    pub desc: bool,
    /// The export of exactly the filtered rows (every page), when the list has one.
    pub export: Option<String>,
    pub sizes: &'static [i64],
}

impl List {
    /// A list at `base` with its filters, the paging asked for and the total matched;
    /// `sorts` are the columns it may sort by.
    pub fn new(
        base: &str,
        filters: Vec<Filter>,
        paging: &Paging,
        sorts: &[&str],
        total: i64,
    ) -> List {
        let size = paging.size();
        let pages = ((total + size - 1) / size).max(1);
        List {
            base: base.to_string(),
            filters,
            page: paging.page().min(pages),
            pages,
            size,
            total,
            total_label: total.to_string(),
            total_note: String::new(),
            sort: paging.sort(sorts),
            desc: paging.desc(),
            export: None,
            sizes: PAGE_SIZES,
        }
    }

    /// The total was counted only up to `cap`: shown as "约 cap+" with the reason.
    pub fn capped(mut self, cap: i64, reason: &str) -> List {
        if self.total > cap {
            self.total_label = format!("约 {cap}+");
            self.total_note = reason.to_string();
        }
        self
    }

    /// Adds 导出 at `path` with the list's filters and order.
    pub fn with_export(mut self, path: &str) -> List {
        let query = self.query(&self.filter_params(), false);
        self.export = Some(join(path, &query));
        self
    }

    /// Whether any filter refused its value (the list then shows nothing).
    pub fn refused(&self) -> bool {
        self.filters.iter().any(|f| !f.error.is_empty())
    }

    fn filter_params(&self) -> Vec<(String, String)> {
        self.filters
            .iter()
            .filter(|f| !f.value.is_empty())
            .map(|f| (f.name.to_string(), f.value.clone()))
            .collect()
    }

    fn query(&self, params: &[(String, String)], paging: bool) -> Vec<String> {
        let mut query: Vec<String> = params
            .iter()
            .map(|(k, v)| format!("{k}={}", urlencode(v)))
            .collect();
        if let Some(sort) = &self.sort {
            query.push(format!("sort={sort}"));
            if self.desc {
                query.push("desc=1".into());
            }
        }
        if paging && self.size != DEFAULT_SIZE {
            query.push(format!("size={}", self.size));
        }
        query
    }

    /// 首页 and 上一页, when not on the first page.
    pub fn before(&self) -> Option<(String, String)> {
        (self.page > 1).then(|| (self.page_href(1), self.page_href(self.page - 1)))
    }

    /// 下一页 and 末页, when not on the last page.
    pub fn after(&self) -> Option<(String, String)> {
        (self.page < self.pages)
            .then(|| (self.page_href(self.page + 1), self.page_href(self.pages)))
    }

    /// The link to another page of the same list.
    pub fn page_href(&self, page: i64) -> String {
        let mut query = self.query(&self.filter_params(), true);
        query.push(format!("page={page}"));
        join(&self.base, &query)
    }

    /// The hidden fields that keep the filters and order when the pager's form is sent.
    pub fn kept(&self) -> Vec<(String, String)> {
        let mut kept = self.filter_params();
        if let Some(sort) = &self.sort {
            kept.push(("sort".into(), sort.clone()));
            if self.desc {
                kept.push(("desc".into(), "1".into()));
            }
        }
        kept
    }

    /// The hidden fields that keep the order and size when the filters are sent again.
    pub fn kept_order(&self) -> Vec<(String, String)> {
        let mut kept = Vec::new();
        if let Some(sort) = &self.sort {
            kept.push(("sort".into(), sort.clone()));
            if self.desc {
                kept.push(("desc".into(), "1".into()));
            }
        }
        if self.size != DEFAULT_SIZE {
            kept.push(("size".into(), self.size.to_string()));
        }
        kept
    }

    /// A column header that sorts by `key`, with ▲ / ▼ on the current one; clicking it
    /// again reverses. Markup (the label is escaped).
    pub fn th(&self, key: &str, label: &str) -> String {
        let current = self.sort.as_deref() == Some(key);
        let mut query: Vec<String> = self
            .filter_params()
            .iter()
            .map(|(k, v)| format!("{k}={}", urlencode(v)))
            .collect();
        query.push(format!("sort={key}"));
        if current && !self.desc {
            query.push("desc=1".into());
        }
        if self.size != DEFAULT_SIZE {
            query.push(format!("size={}", self.size));
        }
        let arrow = match (current, self.desc) {
            (true, false) => " ▲",
            (true, true) => " ▼",
            _ => " ↕",
        };
        format!(
            "<th class=\"sortable{}\" data-sort=\"{key}\"><a href=\"{}\">{}<span class=\"arrow\">{arrow}</span></a></th>",
            if current { " sorted" } else { "" },
            escape_markup(&join(&self.base, &query)),
            escape_markup(label),
        )
    }
}

fn join(path: &str, query: &[String]) -> String {
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paging(page: &str, size: &str, sort: &str) -> Paging {
        Paging {
            page: Some(page.into()),
            size: Some(size.into()),
            sort: Some(sort.into()),
            desc: None,
        }
    }

    #[test]
    fn sizes_pages_and_sorts_are_whitelisted() {
        let p = paging("x", "1000", "name; DROP TABLE students");
        assert_eq!(p.page(), 1);
        assert_eq!(p.size(), DEFAULT_SIZE);
        assert_eq!(p.sort(&["name"]), None);
        let list = List::new(
            "/students",
            vec![],
            &paging("9", "20", "name"),
            &["name"],
            41,
        );
        assert_eq!((list.page, list.pages, list.size), (3, 3, 20));
        assert_eq!(list.sort.as_deref(), Some("name"));
    }

    #[test]
    fn links_keep_the_filters_and_headers_reverse() {
        let filters = vec![Filter::text("q", "姓名", "张 三", "")];
        let list = List::new(
            "/students",
            filters,
            &paging("2", "100", "name"),
            &["name"],
            500,
        )
        .with_export("/students/export");
        assert_eq!(
            list.page_href(3),
            "/students?q=%E5%BC%A0%20%E4%B8%89&sort=name&size=100&page=3"
        );
        assert_eq!(
            list.export.as_deref(),
            Some("/students/export?q=%E5%BC%A0%20%E4%B8%89&sort=name")
        );
        let th = list.th("name", "姓名");
        assert!(th.contains("desc=1") && th.contains("▲"), "{th}");
        assert!(list.th("birth", "出生日期").contains("↕"));
    }

    #[test]
    fn pickers_take_a_name_or_a_code_and_refuse_the_rest() {
        let choices = vec![Choice {
            code: "4312240001".into(),
            name: "卢峰镇中心小学".into(),
            hint: "卢峰镇".into(),
        }];
        let by_name = resolve(Some("卢峰镇中心小学"), &choices, "学校");
        assert_eq!(by_name.code.as_deref(), Some("4312240001"));
        let by_code = resolve(Some("4312240001"), &choices, "学校");
        assert_eq!(by_code.shown, "卢峰镇中心小学");
        let unknown = resolve(Some("龙潭中学"), &choices, "学校");
        assert!(unknown.code.is_none() && unknown.error.contains("龙潭中学"));
        assert!(resolve(Some(" "), &choices, "学校").code.is_none());
    }

    /// The picker's list is rendered once, escaped: a school's name is data, not markup.
    #[test]
    fn a_picker_offers_every_choice_escaped() {
        let choices = ChoiceList::new(vec![
            Choice {
                code: "4312240001".into(),
                name: "卢峰镇中心小学".into(),
                hint: "卢峰镇".into(),
            },
            Choice {
                code: "4312240002".into(),
                name: "\"><script>x</script>".into(),
                hint: "A&B".into(),
            },
        ]);
        assert_eq!(choices.len(), 2);
        let picker = Filter::pick("school", "学校", &Picked::default(), &choices);
        assert_eq!(
            &*picker.datalist,
            "<option value=\"卢峰镇中心小学\">4312240001 卢峰镇</option>\
             <option value=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt;\">4312240002 A&amp;B</option>"
        );
    }

    /// A GET form never carries the CSRF token: it would land in the address bar, the
    /// history and the server logs.
    #[test]
    fn no_get_form_carries_the_csrf_token() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        for entry in std::fs::read_dir(dir).expect("templates") {
            let path = entry.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("template");
            for form in text.split("<form").skip(1) {
                let head = &form[..form.find('>').unwrap_or(form.len())];
                let body = &form[..form.find("</form>").unwrap_or(form.len())];
                let post = head.to_ascii_lowercase().contains("method=\"post\"");
                assert!(
                    post || !body.contains("_csrf"),
                    "{}: a GET form with the CSRF token",
                    path.display()
                );
            }
        }
    }
}
