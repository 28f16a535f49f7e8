//! The SQL helpers every storage module shares: a small builder for queries whose filters
//! depend on the request, and `insert_many`, the one bulk insert.
//!
//! Parameters are written `$N` everywhere; both engines accept that form through the
//! `Any` driver. Bulk inserts on SQLite write plain `?` instead (see `values_clause`).

use crate::{Db, Result, Tx};
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::{Any, AssertSqlSafe, Row};

/// Rows per multi-row INSERT (measured best on SQLite); `insert_many` lowers it for wide
/// tables so that a statement stays under `MAX_PARAMETERS`.
pub(crate) const BATCH_ROWS: usize = 500;

/// Bound values per statement both engines take: SQLite's limit is 32,766 (since 3.32),
/// PostgreSQL's 65,535.
pub(crate) const MAX_PARAMETERS: usize = 32_766;

/// A query being bound. The SQL text is owned and the `Any` driver copies every bound
/// value, so one type serves whatever the values borrow from.
pub(crate) type AnyQuery = sqlx::query::Query<'static, Any, AnyArguments>;

/// `(?, ?, …), (?, …)` on SQLite, `($1, $2, …), ($n+1, …)` on PostgreSQL, for `rows` rows
/// of `cols` columns. SQLite looks up a numbered parameter's name by a linear scan, so
/// thousands of `$N` in one statement cost quadratic time there; plain `?` do not.
pub(crate) fn values_clause(positional: bool, rows: usize, cols: usize) -> String {
    let mut out = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for c in 0..cols {
            if c > 0 {
                out.push_str(", ");
            }
            if positional {
                out.push('?');
            } else {
                out.push('$');
                out.push_str(&(r * cols + c + 1).to_string());
            }
        }
        out.push(')');
    }
    out
}

/// Whether the transaction's engine takes positional `?` parameters (SQLite).
pub(crate) fn positional(tx: &mut Tx) -> bool {
    (**tx).backend_name() == "SQLite"
}

/// Inserts `rows` into `table (columns)` in multi-row statements of at most `BATCH_ROWS`
/// rows and `MAX_PARAMETERS` values, inside the caller's transaction. `tail` follows the
/// VALUES list (`ON CONFLICT …`, or empty); `bind` binds one row's values in column order.
pub(crate) async fn insert_many<R>(
    tx: &mut Tx,
    table: &str,
    columns: &[&str],
    tail: &str,
    rows: &[R],
    bind: impl Fn(AnyQuery, &R) -> AnyQuery,
) -> Result<()> {
    let insert = BulkInsert::new(tx, table, columns, tail);
    for chunk in rows.chunks(insert.rows_per_statement) {
        insert.statement(chunk, &bind).execute(&mut **tx).await?;
    }
    Ok(())
}

/// One bulk insert's fixed parts; statements are bound one chunk at a time, so that only
/// one chunk's values are held at once.
struct BulkInsert<'a> {
    positional: bool,
    head: String,
    tail: &'a str,
    columns: usize,
    rows_per_statement: usize,
}

impl<'a> BulkInsert<'a> {
    fn new(tx: &mut Tx, table: &str, columns: &[&str], tail: &'a str) -> BulkInsert<'a> {
        BulkInsert {
            positional: positional(tx),
            head: format!("INSERT INTO {table} ({}) VALUES ", columns.join(", ")),
            tail,
            columns: columns.len(),
            rows_per_statement: BATCH_ROWS.min(MAX_PARAMETERS / columns.len().max(1)).max(1),
        }
    }

    fn statement<R>(&self, chunk: &[R], bind: &impl Fn(AnyQuery, &R) -> AnyQuery) -> AnyQuery {
        let sql = format!(
            "{}{} {}",
            self.head,
            values_clause(self.positional, chunk.len(), self.columns),
            self.tail
        );
        chunk.iter().fold(sqlx::query(AssertSqlSafe(sql)), bind)
    }
}

/// How a column of `insert_json` is read back out of its JSON row: PostgreSQL's `->>`
/// gives text, so integer columns are cast.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Json {
    Text,
    Int,
}

/// Rows per statement of `insert_json`: one bound JSON text of a few MB.
pub(crate) const JSON_ROWS: usize = 20_000;

/// The bulk insert of the hot paths (a county's roll: 300,000 rows in one import). Each
/// chunk of rows is one JSON array bound as a single value and unpacked by the database
/// (`jsonb_each` / `jsonb_array_elements`), instead of a value per column per row through
/// the `Any` driver, which allocates and converts each one (see the figures in
/// `crates/storage/README.md`). `row` gives one row as a tuple in column order; `tail`
/// follows (`ON CONFLICT …`, `RETURNING …`); the rows a `RETURNING` gives back are returned.
pub(crate) async fn insert_json<R, J: serde::Serialize>(
    tx: &mut Tx,
    table: &str,
    columns: &[(&str, Json)],
    tail: &str,
    rows: &[R],
    row: impl Fn(&R) -> J,
) -> Result<Vec<AnyRow>> {
    // SQLite reads each element as binary JSON (one parse per row, not one per `->>`).
    let elements = if positional(tx) {
        "jsonb_each($1) AS j"
    } else {
        "jsonb_array_elements(CAST($1 AS JSONB)) AS j"
    };
    let names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
    let values: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, (_, kind))| match kind {
            Json::Text => format!("j.value ->> {i}"),
            Json::Int => format!("CAST(j.value ->> {i} AS BIGINT)"),
        })
        .collect();
    // `WHERE true` keeps SQLite from reading `ON CONFLICT` as a join's `ON`.
    let sql = format!(
        "INSERT INTO {table} ({}) SELECT {} FROM {elements} WHERE true {tail}",
        names.join(", "),
        values.join(", ")
    );
    let mut returned = Vec::new();
    for chunk in rows.chunks(JSON_ROWS) {
        let json = serde_json::to_string(&chunk.iter().map(&row).collect::<Vec<J>>())
            .map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        returned.extend(
            sqlx::query(AssertSqlSafe(sql.as_str()))
                .bind(json)
                .fetch_all(&mut **tx)
                .await?,
        );
    }
    Ok(returned)
}

/// The JSON functions that build an array of rows in the database: (aggregate, row). A
/// read of a county's roll takes it as one JSON text: through the `Any` driver each row
/// and value costs allocations and a hand-off between threads.
pub(crate) fn json_array_functions(backend: crate::Backend) -> (&'static str, &'static str) {
    match backend {
        crate::Backend::Sqlite => ("json_group_array", "json_array"),
        crate::Backend::Postgres => ("json_agg", "json_build_array"),
    }
}

/// The rows of `SELECT CAST(<aggregate>(<row>(…)) AS TEXT) …` (see `json_array_functions`),
/// each decoded as the tuple `T`; an empty result is no rows.
pub(crate) fn json_rows<T: serde::de::DeserializeOwned>(text: Option<String>) -> Result<Vec<T>> {
    match text {
        None => Ok(Vec::new()),
        Some(text) => {
            Ok(serde_json::from_str(&text).map_err(|e| sqlx::Error::Decode(Box::new(e)))?)
        }
    }
}

/// The rows of a query whose parameters are the county (`$1`) and one key (`$2`: a record's
/// id or a person's ID number), read by column name.
pub(crate) async fn county_rows_by<'k, T, K>(
    db: &crate::Db,
    sql: impl sqlx::SqlSafeStr,
    county: &'k str,
    key: K,
) -> Result<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, AnyRow> + Send + Unpin,
    K: 'k + Send + sqlx::Encode<'k, Any> + sqlx::Type<Any>,
{
    Ok(sqlx::query_as(sql)
        .bind(county)
        .bind(key)
        .fetch_all(db.pool())
        .await?)
}

/// The one row (if any) of such a query: a record of the county by its key.
pub(crate) async fn county_row_by<'k, T, K>(
    db: &crate::Db,
    sql: impl sqlx::SqlSafeStr,
    county: &'k str,
    key: K,
) -> Result<Option<T>>
where
    T: for<'r> sqlx::FromRow<'r, AnyRow> + Send + Unpin,
    K: 'k + Send + sqlx::Encode<'k, Any> + sqlx::Type<Any>,
{
    Ok(sqlx::query_as(sql)
        .bind(county)
        .bind(key)
        .fetch_optional(db.pool())
        .await?)
}

/// Every row of a query whose one parameter (`$1`) is the county, read by column name.
pub(crate) async fn county_rows<T>(
    db: &crate::Db,
    sql: impl sqlx::SqlSafeStr,
    county: &str,
) -> Result<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, AnyRow> + Send + Unpin,
{
    Ok(sqlx::query_as(sql)
        .bind(county)
        .fetch_all(db.pool())
        .await?)
}

/// Rows a builder query returned, each read by column name into `T`.
pub(crate) fn rows_as<T>(rows: &[AnyRow]) -> Result<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, AnyRow>,
{
    Ok(rows
        .iter()
        .map(T::from_row)
        .collect::<std::result::Result<_, _>>()?)
}

/// A tiny SQL builder that numbers `$N` placeholders the same way on both engines.
#[derive(Default)]
pub(crate) struct Sql {
    pub text: String,
    args: Vec<Arg>,
}

#[derive(Clone)]
enum Arg {
    Text(String),
    Int(i64),
}

impl Sql {
    pub fn new(text: &str) -> Sql {
        Sql {
            text: text.to_string(),
            args: Vec::new(),
        }
    }
    /// A count of the rows of `from` (a FROM clause with its joins), read by `fetch_count`.
    pub fn count(from: &str) -> Sql {
        Sql::new(&format!("SELECT CAST(COUNT(*) AS BIGINT) AS total {from}"))
    }

    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }
    pub fn bind_text(&mut self, value: impl Into<String>) -> &mut Self {
        self.args.push(Arg::Text(value.into()));
        self.text.push_str(&format!("${}", self.args.len()));
        self
    }
    pub fn bind_int(&mut self, value: i64) -> &mut Self {
        self.args.push(Arg::Int(value));
        self.text.push_str(&format!("${}", self.args.len()));
        self
    }
    /// ` LIMIT … OFFSET …` for a 1-based page.
    pub fn page(&mut self, page: i64, per_page: i64) -> &mut Self {
        self.push(" LIMIT ")
            .bind_int(per_page)
            .push(" OFFSET ")
            .bind_int((page - 1) * per_page)
    }
    pub async fn fetch_all(&self, db: &Db) -> Result<Vec<AnyRow>> {
        let mut q = sqlx::query(AssertSqlSafe(self.text.clone()));
        for a in &self.args {
            q = match a {
                Arg::Text(t) => q.bind(t.clone()),
                Arg::Int(i) => q.bind(*i),
            };
        }
        Ok(q.fetch_all(db.pool()).await?)
    }
    pub async fn fetch_count(&self, db: &Db) -> Result<i64> {
        let rows = self.fetch_all(db).await?;
        match rows.first() {
            Some(row) => Ok(row.try_get::<i64, _>("total")?),
            None => Ok(0),
        }
    }
}

/// A column holding a domain enum's label, as stored; a `FromRow` field of the enum's type
/// reads it with `#[sqlx(try_from = "Label")]`, so that statuses leave storage as enums.
pub(crate) struct Label(String);

impl sqlx::Type<Any> for Label {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <String as sqlx::Type<Any>>::type_info()
    }
    fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
        <String as sqlx::Type<Any>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, Any> for Label {
    fn decode(
        value: sqlx::any::AnyValueRef<'r>,
    ) -> std::result::Result<Self, sqlx::error::BoxDynError> {
        Ok(Label(<String as sqlx::Decode<'r, Any>>::decode(value)?))
    }
}

/// A 0/1 column read as a `bool` (`#[sqlx(try_from = "Flag")]`): flags are integers on
/// both engines.
pub(crate) struct Flag(i64);

impl sqlx::Type<Any> for Flag {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <i64 as sqlx::Type<Any>>::type_info()
    }
    fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
        <i64 as sqlx::Type<Any>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, Any> for Flag {
    fn decode(
        value: sqlx::any::AnyValueRef<'r>,
    ) -> std::result::Result<Self, sqlx::error::BoxDynError> {
        Ok(Flag(<i64 as sqlx::Decode<'r, Any>>::decode(value)?))
    }
}

impl From<Flag> for bool {
    fn from(flag: Flag) -> bool {
        flag.0 != 0
    }
}

/// A stored label that the enum does not know (a row written by hand or a newer program).
#[derive(Debug, thiserror::Error)]
#[error("unknown label {0:?}")]
pub struct UnknownLabel(pub String);

macro_rules! decode_labels {
    ($($enum:ty),+ $(,)?) => {
        $(impl TryFrom<Label> for $enum {
            type Error = UnknownLabel;
            fn try_from(label: Label) -> std::result::Result<Self, UnknownLabel> {
                <$enum>::parse(&label.0).ok_or(UnknownLabel(label.0))
            }
        })+
    };
}

decode_labels!(
    emis_domain::documents::DocCategory,
    emis_domain::incidents::IncidentCategory,
    emis_domain::incidents::StepKind,
    emis_domain::vocational::Schooling,
    emis_domain::forms::TaskStatus,
    emis_domain::safety::Area,
    emis_domain::registry::Sex,
    emis_domain::registry::Grade,
    emis_domain::registry::StudentStatus,
    emis_domain::registry::Hardship,
    emis_domain::registry::SchoolType,
    emis_domain::registry::UrbanRural,
    emis_domain::registry::Ownership,
    emis_domain::registry::PostType,
    emis_domain::access::Role,
    emis_domain::aid::ProposalStatus,
    emis_domain::aid::BatchStatus,
    emis_domain::dropout::cases::CaseStatus,
    emis_domain::dropout::cases::EventKind,
    emis_domain::dropout::MatchDecision,
    emis_domain::safety::Status,
    emis_domain::safety::Grade,
    emis_domain::registry::RecruitChannel,
    emis_domain::teachers::TrainingLevel,
    emis_domain::teachers::TraineeSource,
    emis_domain::teachers::DirectedStage,
    emis_domain::teachers::StudioKind,
    emis_domain::teachers::awards::AwardStatus,
    emis_domain::teachers::conduct::ConductStatus,
    emis_domain::double_reduction::InstitutionCategory,
    emis_domain::projects::ProjectCategory,
    emis_domain::honours::SubjectKind,
    emis_domain::honours::HonourKind,
    emis_domain::honours::Level,
    emis_domain::double_reduction::InstitutionStatus,
    emis_domain::double_reduction::CaseSource,
    emis_domain::double_reduction::InstitutionCaseStatus,
    emis_domain::party::PartyStage,
    emis_domain::party::MeetingKind,
);

/// Separators inside a packed column (ASCII unit and record separators): never part of a
/// name, an ID number or a code.
const FIELD: char = '\u{1f}';
const RECORD: char = '\u{1e}';

/// SQL that packs the rows of a group into one text, fields joined by [`FIELD`] and rows
/// by [`RECORD`]: one row per school comes back instead of one per student, which is what
/// the aid check's time went to (each row crossing the driver's channel and allocated as
/// an `AnyRow`). Cheaper for the database than a JSON array of the same rows (a county's
/// roll for matching: 148 ms against 284 ms on PostgreSQL). The fields must not be NULL:
/// a NULL field drops its row from the aggregate.
pub(crate) fn packed(db: &Db, fields: &[&str]) -> String {
    let (agg, chr) = match db.backend() {
        crate::Backend::Sqlite => ("group_concat", "char"),
        crate::Backend::Postgres => ("string_agg", "chr"),
    };
    let joined = fields.join(&format!(" || {chr}(31) || "));
    format!("{agg}({joined}, {chr}(30)) AS packed")
}

/// A free-text column made safe to [`packed`]: the two separators taken out (a name typed
/// with one would otherwise split its row).
pub(crate) fn without_separators(db: &Db, column: &str) -> String {
    let chr = match db.backend() {
        crate::Backend::Sqlite => "char",
        crate::Backend::Postgres => "chr",
    };
    format!("REPLACE(REPLACE({column}, {chr}(31), ''), {chr}(30), '')")
}

/// The rows of a [`packed`] text of `N` fields, each as its fields borrowed from the text
/// (no copy and no allocation per row); a row of another width is skipped.
pub(crate) fn unpack<const N: usize>(packed: &str) -> impl Iterator<Item = [&str; N]> {
    packed.split(RECORD).filter_map(|record| {
        let mut fields = [""; N];
        let mut parts = record.split(FIELD);
        for field in &mut fields {
            *field = parts.next()?;
        }
        (parts.next().is_none() && !record.is_empty()).then_some(fields)
    })
}

/// Rows of `N` fields as the database packed them ([`packed`]), kept as its one text and
/// read in place: the rolls a region compares are tens of millions of rows, which as owned
/// strings cost more allocations than the matching costs time.
#[derive(Default)]
pub struct Packed<const N: usize>(pub(crate) String);

impl<const N: usize> Packed<N> {
    pub fn rows(&self) -> impl Iterator<Item = [&str; N]> {
        unpack(&self.0)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn unpack_reads_rows_of_its_width_in_place() {
        let text = "a\u{1f}b\u{1e}\u{1e}c\u{1f}\u{1e}d\u{1f}e\u{1f}f\u{1e}g";
        let rows: Vec<[&str; 2]> = super::unpack(text).collect();
        assert_eq!(rows, [["a", "b"], ["c", ""]]);
        assert_eq!(super::unpack::<3>(text).count(), 1);
        assert_eq!(super::unpack::<1>(text).collect::<Vec<_>>(), [["g"]]);
        assert_eq!(super::unpack::<2>("").count(), 0);
    }

    #[test]
    fn values_clause_numbers_in_order() {
        assert_eq!(super::values_clause(false, 2, 2), "($1, $2), ($3, $4)");
        assert_eq!(super::values_clause(true, 1, 3), "(?, ?, ?)");
    }
}
