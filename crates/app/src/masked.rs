//! Views whose personal numbers are masked when they are built: the reads that the pages
//! and the API show return `Masked<T>`, so that a list or a record leaves the app with its
//! ID numbers and phones already masked by the identity rules (`mask_id`, `mask_phone`).
//! The full values are shown only by the audited reveals and unmasked exports.

use emis_domain::identity::{mask_id, mask_phone};

/// A record with its ID numbers and phones masked; it reads and serializes as the record
/// itself (the same JSON and the same schema), but only the app can build one.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(transparent)]
pub struct Masked<T>(T);

/// The record's own schema, under its own name: masking changes values, not the shape.
impl<T: schemars::JsonSchema> schemars::JsonSchema for Masked<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}

/// A record that holds ID numbers or phones, and masks them in place.
pub trait Mask {
    fn mask(&mut self);
}

impl<T: Mask> Masked<T> {
    pub(crate) fn new(mut record: T) -> Masked<T> {
        record.mask();
        Masked(record)
    }

    /// Every record of a list, masked.
    pub(crate) fn all(records: Vec<T>) -> Vec<Masked<T>> {
        records.into_iter().map(Masked::new).collect()
    }
}

impl<T> Masked<T> {
    /// The record, as masked.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Masked<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// `impl Mask` for records by their fields: `id` an ID number, `optional_id` one that may be
/// missing (a 学籍号 too), `phone` a phone number, `optional_phone` one that may be missing.
/// `masks! { StudentRow { id: id_number } }`.
macro_rules! masks {
    ($($ty:ty { $($how:ident: $field:ident),+ $(,)? })+) => {
        $(impl $crate::masked::Mask for $ty {
            fn mask(&mut self) {
                $($crate::masked::$how(&mut self.$field);)+
            }
        })+
    };
}
pub(crate) use masks;

/// Masks an ID number in place.
pub(crate) fn id(value: &mut String) {
    *value = mask_id(value);
}

/// Masks an optional ID number (a 学籍号 too) in place.
pub(crate) fn optional_id(value: &mut Option<String>) {
    if let Some(v) = value {
        id(v);
    }
}

/// Masks a phone number in place.
pub(crate) fn phone(value: &mut String) {
    *value = mask_phone(value);
}

/// Masks an optional phone number in place.
pub(crate) fn optional_phone(value: &mut Option<String>) {
    if let Some(v) = value {
        phone(v);
    }
}

/// A page of records, each masked.
pub(crate) fn page<T: Mask>(
    page: emis_storage::lists::Page<T>,
) -> emis_storage::lists::Page<Masked<T>> {
    emis_storage::lists::Page {
        items: Masked::all(page.items),
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    }
}
