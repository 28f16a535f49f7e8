//! Checking rows: the cell lengths first, then each kind's checks through `RowCheck`
//! (required cells, choices, dates, ID numbers, schools and staff in the account's scope).

use super::*;

/// The refusal for a row whose school lies outside the importing account's scope.
pub(crate) fn outside_scope(
    options: &ImportOptions,
    school: &emis_domain::registry::School,
) -> Option<String> {
    match &options.scope {
        Some(scope) if !scope.admits_school(&school.code, &school.township_code) => Some(format!(
            "学校 {}（{}）不在您的管理范围内",
            school.name, school.code
        )),
        _ => None,
    }
}

/// Refuses every cell longer than its column allows ([`emis_domain::limits`]), before the
/// kind's own checks: returns the rows refused so that they go no further.
pub(crate) fn check_lengths(
    table: &Table<'_>,
    spec: &[Column],
    problems: &mut Vec<Problem>,
) -> std::collections::HashSet<u32> {
    let max: Vec<usize> = spec
        .iter()
        .map(|c| emis_domain::limits::column_max_chars(c.name))
        .collect();
    let mut refused = std::collections::HashSet::new();
    for row in &table.rows {
        for ((col, max), value) in spec.iter().zip(&max).zip(&row.cells) {
            if let Err(reason) = emis_domain::limits::check_len(col.name, value, *max) {
                problems.push(Problem {
                    row: row.number,
                    column: col.name.to_string(),
                    reason,
                });
                refused.insert(row.number);
            }
        }
    }
    refused
}

/// Collects problems for one row; a row with any problem is refused whole.
pub(crate) struct RowCheck<'a> {
    pub row: u32,
    pub problems: &'a mut Vec<Problem>,
    pub warnings: &'a mut Vec<Problem>,
    pub failed: bool,
}

impl<'a> RowCheck<'a> {
    /// The check of one row, writing into the report's problems and warnings.
    pub fn new(
        row: u32,
        problems: &'a mut Vec<Problem>,
        warnings: &'a mut Vec<Problem>,
    ) -> RowCheck<'a> {
        RowCheck {
            row,
            problems,
            warnings,
            failed: false,
        }
    }

    pub fn refuse(&mut self, column: &str, reason: impl Into<String>) {
        self.failed = true;
        self.problems.push(Problem {
            row: self.row,
            column: column.to_string(),
            reason: reason.into(),
        });
    }

    pub fn warn(&mut self, column: &str, reason: impl Into<String>) {
        self.warnings.push(Problem {
            row: self.row,
            column: column.to_string(),
            reason: reason.into(),
        });
    }

    /// A required cell's text, refused when blank.
    pub fn required<'c>(&mut self, column: &str, value: &'c str) -> Option<&'c str> {
        if value.is_empty() {
            self.refuse(column, format!("{column}不能为空"));
            None
        } else {
            Some(value)
        }
    }

    /// A required cell read by `parse`; refused with the accepted spellings. The national
    /// systems' `code-label` form (`1-男`) is read too ([`emis_domain::national::read_coded`]).
    pub fn required_choice<T: PartialEq>(
        &mut self,
        column: &str,
        value: &str,
        parse: impl Fn(&str) -> Option<T>,
        choices: impl FnOnce() -> String,
    ) -> Option<T> {
        let text = self.required(column, value)?;
        self.coded(column, text, parse, choices)
    }

    /// An optional cell read by `parse` (or in `code-label` form), `default` when blank.
    pub fn optional_choice<T: PartialEq>(
        &mut self,
        column: &str,
        value: &str,
        default: T,
        parse: impl Fn(&str) -> Option<T>,
        choices: impl FnOnce() -> String,
    ) -> Option<T> {
        if value.is_empty() {
            return Some(default);
        }
        self.coded(column, value, parse, choices)
    }

    /// The one reading of a choice cell: the bare label or `code-label`, the code checked
    /// against the label where the national code table is known.
    fn coded<T: PartialEq>(
        &mut self,
        column: &str,
        text: &str,
        parse: impl Fn(&str) -> Option<T>,
        choices: impl FnOnce() -> String,
    ) -> Option<T> {
        use emis_domain::national::{read_coded, CodedRefusal};
        match read_coded(column, text, parse) {
            Ok(value) => Some(value),
            Err(CodedRefusal::Unknown) => {
                self.refuse(
                    column,
                    format!("{column}“{text}”无法识别，应为 {}", choices()),
                );
                None
            }
            Err(disagrees) => {
                self.refuse(column, format!("{column}“{text}”：{disagrees}"));
                None
            }
        }
    }

    /// A required 班级 cell: a class number, or a class name carrying its grade, which must
    /// then be the grade of the 年级 column.
    pub fn class_name(
        &mut self,
        column: &str,
        value: &str,
        grade: Option<emis_domain::registry::Grade>,
    ) -> Option<u32> {
        let text = self.required(column, value)?;
        let Some((named, number)) = emis_domain::national::parse_class_name(text) else {
            self.refuse(
                column,
                format!("{column}“{text}”无法识别，应为班号（如 3、3班、(3)班）或带年级的班级名称（如 三年级(2)班、小三(02)班、初一(3)班）"),
            );
            return None;
        };
        if let (Some(named), Some(grade)) = (named, grade) {
            if named != grade {
                self.refuse(
                    column,
                    format!("{column}“{text}”属于{named}，与年级列的“{grade}”不一致"),
                );
                return None;
            }
        }
        Some(number)
    }

    /// A whole number in 0..=max, refused with the range.
    pub fn number(&mut self, column: &str, raw: &str, max: i64) -> Option<i64> {
        let parsed = emis_domain::text::fold_width(raw)
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=max).contains(n));
        if parsed.is_none() {
            self.refuse(column, format!("{column}“{raw}”应为0–{max}的整数"));
        }
        parsed
    }

    /// An optional whole number: `Some(None)` when blank, `None` when refused.
    pub fn optional_number(&mut self, column: &str, raw: &str, max: i64) -> Option<Option<i64>> {
        if raw.is_empty() {
            return Some(None);
        }
        self.number(column, raw, max).map(Some)
    }

    /// A required ID number (GB 11643), with its reason when refused.
    pub fn id_number(
        &mut self,
        column: &str,
        value: &str,
    ) -> Option<emis_domain::identity::IdNumber> {
        match emis_domain::identity::IdNumber::parse(self.required(column, value)?) {
            Ok(id) => Some(id),
            Err(e) => {
                self.refuse(column, e.to_string());
                None
            }
        }
    }

    /// A person's identity from 身份证件类型 (`kind`, `None` when that cell was refused),
    /// 身份证件号 and, for a student, 学籍辅号: the registry key
    /// ([`emis_domain::national::document_key`]) and, for a 居民身份证, the checked number
    /// (which gives sex and birth date). Each document is checked by its own shape.
    pub fn person(
        &mut self,
        kind: Option<emis_domain::national::DocumentType>,
        number: &str,
        aux_no: Option<&str>,
    ) -> Option<Person> {
        use emis_domain::national::{self, DocumentType};
        match kind? {
            DocumentType::ResidentId => self.id_number("身份证件号", number).map(|id| Person {
                key: id.as_str().to_string(),
                resident: Some(id),
            }),
            DocumentType::Other if number.is_empty() => match aux_no {
                Some(aux) => Some(Person {
                    key: national::auxiliary_key(aux),
                    resident: None,
                }),
                None => {
                    self.refuse(
                        "身份证件号",
                        "证件类型为“Z-其他”且无证件号的学生以学籍辅号识别，但学籍辅号也为空",
                    );
                    None
                }
            },
            kind => {
                let raw = self.required("身份证件号", number)?;
                match kind.check_number(raw) {
                    Ok(number) => Some(Person {
                        key: national::document_key(kind, &number),
                        resident: None,
                    }),
                    Err(reason) => {
                        self.refuse("身份证件号", reason);
                        None
                    }
                }
            }
        }
    }

    /// An optional 身份证件类型 cell, 居民身份证 when blank.
    pub fn document_type(&mut self, value: &str) -> Option<emis_domain::national::DocumentType> {
        use emis_domain::national::DocumentType;
        self.optional_choice(
            "身份证件类型",
            value,
            DocumentType::ResidentId,
            DocumentType::parse,
            DocumentType::choices,
        )
    }

    /// The 性别 column must agree with the ID number's sequence digit.
    pub fn sex_agrees(
        &mut self,
        id: Option<&emis_domain::identity::IdNumber>,
        sex: Option<emis_domain::registry::Sex>,
    ) {
        if let (Some(id), Some(sex)) = (id, sex) {
            if id.sex() != sex {
                self.refuse(
                    "性别",
                    format!("性别“{sex}”与身份证件号（{}）不一致", id.sex()),
                );
            }
        }
    }

    /// A required date (2021-09-01, 2021/9/1, 20210901, 2021年9月1日).
    pub fn required_date(&mut self, column: &str, value: &str) -> Option<chrono::NaiveDate> {
        let text = self.required(column, value)?;
        self.date(column, text)
    }

    /// An optional date: `Some(None)` when blank, `None` when refused.
    pub fn optional_date(
        &mut self,
        column: &str,
        value: &str,
    ) -> Option<Option<chrono::NaiveDate>> {
        if value.is_empty() {
            return Some(None);
        }
        self.date(column, value).map(Some)
    }

    fn date(&mut self, column: &str, text: &str) -> Option<chrono::NaiveDate> {
        let parsed = emis_domain::dates::parse_date(text);
        if parsed.is_none() {
            self.refuse(column, format!("{column}“{text}”无法识别，应如 2021-09-01"));
        }
        parsed
    }

    /// A township of the county by name or code (`townships`: code, name), as its code.
    pub fn township(
        &mut self,
        column: &str,
        value: &str,
        townships: &[(String, String)],
    ) -> Option<String> {
        let found = townships
            .iter()
            .find(|(code, name)| name == value || code == value);
        if found.is_none() {
            self.refuse(column, format!("{column}“{value}”不是本县的乡镇"));
        }
        found.map(|(code, _)| code.clone())
    }

    /// A member of staff named by ID number: on the county's staff roll, at a school of the
    /// importing account's scope.
    pub fn staff_member<'s>(
        &mut self,
        column: &str,
        value: &str,
        roll: &'s StaffRoll,
        options: &ImportOptions,
    ) -> Option<&'s emis_domain::registry::StaffRecord> {
        let id = self.id_number(column, value)?;
        let Some(member) = roll.staff.get(id.as_str()) else {
            self.refuse(
                column,
                format!(
                    "身份证件号 {} 不在教职工名册中（请先导入教职工）",
                    emis_domain::identity::mask_id(id.as_str())
                ),
            );
            return None;
        };
        if let Some(school) = roll.schools.get(&member.school_code) {
            if let Some(reason) = outside_scope(options, school) {
                self.refuse(column, reason);
                return None;
            }
        }
        Some(member)
    }

    /// A school of the county, inside the importing account's scope.
    pub fn school<'s>(
        &mut self,
        value: &str,
        schools: &'s std::collections::HashMap<String, emis_domain::registry::School>,
        options: &ImportOptions,
    ) -> Option<&'s emis_domain::registry::School> {
        let code = self.required("学校标识码", value)?;
        let Some(school) = schools.get(code) else {
            self.refuse(
                "学校标识码",
                format!("学校标识码 {code} 不在本县学校名单中（请先导入学校）"),
            );
            return None;
        };
        if let Some(reason) = outside_scope(options, school) {
            self.refuse("学校标识码", reason);
        }
        Some(school)
    }
}

/// A person as a row identifies them ([`RowCheck::person`]).
pub(crate) struct Person {
    /// The registry key: the 居民身份证 number, or the document's type and number.
    pub key: String,
    /// The checked 居民身份证 number, `None` for another document.
    pub resident: Option<emis_domain::identity::IdNumber>,
}

/// The staff roll and the schools, for imports that name teachers by ID number.
pub(crate) struct StaffRoll {
    pub staff: HashMap<String, emis_domain::registry::StaffRecord>,
    pub schools: HashMap<String, emis_domain::registry::School>,
}

impl Run<'_> {
    pub(crate) async fn staff_roll(&self) -> Result<StaffRoll> {
        Ok(StaffRoll {
            staff: emis_storage::registry::load_staff(self.db, self.county).await?,
            schools: self.schools().await?,
        })
    }
}
