//! 九长责任链: the named people answering for a water body, a village, a school and a
//! class. Phones are masked in every list; the people who keep a link may see its phone
//! in full, and each full view is audited.

use super::{audit_change, field, require, valid_phone, visible_water, Checked};
use crate::auth::Account;
use crate::registry::check_lengths;
use crate::{AppError, Result};
use emis_domain::access::{Permission, Scope};
use emis_domain::limits::{CODE, NAME, SHORT_TEXT};
use emis_domain::registry::{parse_class_number, Grade as SchoolGrade};
use emis_domain::safety::drowning;
use emis_storage::safety::{self as store, ChainRow};
use emis_storage::Db;

/// What a new link is attached to, as the form sends it.
#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct TargetForm {
    /// 水域 / 村 / 学校 / 班级.
    pub level: String,
    pub water: Option<i64>,
    pub township: String,
    pub village: String,
    pub school: String,
    /// 年级 (一年级 …) and class number, for a class link.
    pub grade: String,
    pub class_number: String,
}

/// A class link's target as stored (the demo writes the same): 一年级3班.
pub fn class_label(grade: SchoolGrade, number: u32) -> String {
    format!("{}{number}班", grade.label())
}

/// The label of the account's own class (班主任), if it has one.
fn own_class(scope: &Scope) -> Option<(String, String)> {
    match scope {
        Scope::Class {
            school,
            grade,
            number,
            ..
        } => Some((school.clone(), class_label(*grade, *number))),
        _ => None,
    }
}

/// Whether the account sees a link (the storage has already limited it to the township):
/// a school sees the chain above it and its own school's links; a 班主任 sees its own
/// class link, not the other classes'.
pub fn sees(account: &Account, link: &ChainRow) -> bool {
    match (&account.scope, &link.school_code) {
        (Scope::School { school, .. }, Some(code)) => code == school,
        (Scope::Class { .. }, Some(code)) => {
            own_class(&account.scope).is_some_and(|(school, label)| {
                code == &school && link.class_label.as_ref().is_none_or(|l| l == &label)
            })
        }
        _ => true,
    }
}

/// Whether the account keeps (adds, edits, removes, sees the phone of) a link: the bureau
/// everywhere; a township its township's waters, villages, schools and classes; a school
/// its own school and classes.
pub fn keeps(account: &Account, link: &ChainRow) -> bool {
    if !account.role.permits(Permission::KeepChain) {
        return false;
    }
    match &account.scope {
        Scope::County { .. } => true,
        Scope::Township { township, .. } => {
            !matches!(link.level.as_str(), "县" | "乡镇") && township == &link.township_code
        }
        Scope::School { school, .. } => link.school_code.as_ref() == Some(school),
        Scope::Class { .. } | Scope::Region { .. } => false,
    }
}

/// The permission, then the link's place within the scope.
fn require_keeps(account: &Account, link: &ChainRow) -> Result<()> {
    require(account, Permission::KeepChain)?;
    if keeps(account, link) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The link's target from the form, checked against the registry and the scope.
async fn target(db: &Db, account: &Account, form: &TargetForm) -> Result<ChainRow> {
    let level = form.level.trim();
    match level {
        "水域" | "村" => {
            let Some(water_id) = form.water.filter(|w| *w > 0) else {
                if level == "水域" {
                    return Err(field("water", "请选择水域").into());
                }
                let (township, village) =
                    super::waters::township_and_village(account, &form.township, &form.village)?;
                return Ok(ChainRow {
                    level: "村".into(),
                    township_code: township,
                    village: Some(village),
                    ..ChainRow::default()
                });
            };
            let Ok(water) = visible_water(db, account, water_id).await else {
                return Err(field("water", "请选择您管理范围内的水域").into());
            };
            Ok(ChainRow {
                level: level.to_string(),
                township_code: water.township_code,
                water_id: Some(water.id),
                village: Some(water.village),
                ..ChainRow::default()
            })
        }
        "学校" | "班级" => {
            let code = crate::registry::requested_org(
                "school",
                "学校",
                &form.school,
                crate::registry::own_school(&account.scope),
            )?;
            let schools = emis_storage::registry::schools(db, account.county()).await?;
            let Some(school) = schools
                .iter()
                .find(|s| s.code == code && account.scope.admits_school(&s.code, &s.township_code))
            else {
                return Err(field("school", "请选择您管理范围内的学校").into());
            };
            let class_label = if level == "班级" {
                let Some(grade) = SchoolGrade::parse(&form.grade) else {
                    return Err(field("grade", "请选择年级，如“三年级”").into());
                };
                let Some(number) = parse_class_number(&form.class_number) else {
                    return Err(field("class_number", "班级应为班号，如 3 或 3班").into());
                };
                Some(class_label(grade, number))
            } else {
                None
            };
            Ok(ChainRow {
                level: level.to_string(),
                township_code: school.township_code.clone(),
                school_code: Some(school.code.clone()),
                class_label,
                ..ChainRow::default()
            })
        }
        _ => Err(field("level", "责任对象应为 水域、村、学校 或 班级").into()),
    }
}

/// A class link names a class on the school's roll of the latest term (when the county
/// has a roll); a village link names a village known for its township (its waters, the
/// 户籍 roll) where any is known.
async fn registered(db: &Db, county: &str, form: &TargetForm, target: &ChainRow) -> Result<()> {
    if target.level == "村" && target.water_id.is_none() {
        let village = target.village.as_deref().unwrap_or_default();
        let known = store::known_villages(db, county, Some(&target.township_code)).await?;
        if !known.is_empty() && !known.iter().any(|(_, v)| v == village) {
            let names: Vec<&str> = known.iter().map(|(_, v)| v.as_str()).take(12).collect();
            return Err(field(
                "village",
                format!(
                    "村名：该乡镇已登记的村中没有“{village}”，请从列表中选择（如 {}）",
                    names.join("、")
                ),
            )
            .into());
        }
    }
    let (Some(school), Some(label)) = (&target.school_code, &target.class_label) else {
        return Ok(());
    };
    let (Some(grade), Some(number)) = (
        SchoolGrade::parse(&form.grade),
        parse_class_number(&form.class_number),
    ) else {
        return Ok(());
    };
    let Some(term) = emis_storage::registry::latest_term(db, county).await? else {
        return Ok(());
    };
    if emis_storage::registry::class_numbers(db, county, school, &term, grade.label())
        .await?
        .contains(&i64::from(number))
    {
        return Ok(());
    }
    let term_label = emis_domain::term::Term::parse(&term)
        .map(|t| t.label())
        .unwrap_or(term);
    Err(field(
        "class_number",
        format!("班级：本校{term_label}的学籍中没有{label}，请核对年级和班号"),
    )
    .into())
}

#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct PersonForm {
    pub role: String,
    pub person: String,
    pub phone: String,
}

fn checked_person(form: &PersonForm) -> Checked<(String, String, String)> {
    let role = form.role.trim();
    if !drowning::is_head(role) {
        return Err(field(
            "role",
            format!("职务应为九长之一：{}", drowning::NINE_HEADS.join("、")),
        ));
    }
    let person = form.person.trim();
    if person.is_empty() {
        return Err(field("person", "请填写姓名"));
    }
    Ok((
        role.to_string(),
        person.to_string(),
        valid_phone(&form.phone)?,
    ))
}

/// What the audit log keeps of a link: the phone masked (the log is read widely).
fn audited(link: &ChainRow) -> ChainRow {
    crate::masked::Masked::new(link.clone()).into_inner()
}

/// Adds a named person for a target (water body, village, school or class).
pub async fn add_link(
    db: &Db,
    account: &Account,
    target_form: &TargetForm,
    person: &PersonForm,
    source: &str,
) -> Result<i64> {
    require(account, Permission::KeepChain)?;
    check_lengths(&[
        ("person", "姓名", &person.person, NAME),
        ("phone", "手机", &person.phone, CODE),
        ("role", "职务", &person.role, SHORT_TEXT),
        ("village", "所在村", &target_form.village, SHORT_TEXT),
    ])?;
    let target = target(db, account, target_form).await?;
    if !keeps(account, &target) {
        return Err(AppError::Forbidden);
    }
    registered(db, account.county(), target_form, &target).await?;
    let (role, person, phone) = checked_person(person)?;
    let link = ChainRow {
        role,
        person,
        phone,
        ..target
    };
    let mut tx = db.begin().await?;
    let id = store::insert_chain(&mut tx, account.county(), &link).await?;
    let link = ChainRow { id, ..link };
    audit_change(
        &mut tx,
        account,
        source,
        "chain_add",
        "drowning_chain",
        &id.to_string(),
        None::<&ChainRow>,
        Some(&audited(&link)),
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(id)
}

/// A link the account sees, else `NotFound`.
pub async fn visible_link(db: &Db, account: &Account, id: i64) -> Result<ChainRow> {
    store::chain_link(db, &account.scope, id)
        .await?
        .filter(|l| sees(account, l))
        .ok_or(AppError::NotFound)
}

/// Changes who holds a link (role, name, phone).
pub async fn edit_link(
    db: &Db,
    account: &Account,
    id: i64,
    form: &PersonForm,
    source: &str,
) -> Result<ChainRow> {
    let before = visible_link(db, account, id).await?;
    require_keeps(account, &before)?;
    check_lengths(&[
        ("person", "姓名", &form.person, NAME),
        ("phone", "手机", &form.phone, CODE),
        ("role", "职务", &form.role, SHORT_TEXT),
    ])?;
    // A blank phone keeps the one on file (the edit form never shows it in full).
    let form = PersonForm {
        phone: if form.phone.trim().is_empty() {
            before.phone.clone()
        } else {
            form.phone.clone()
        },
        ..form.clone()
    };
    let (role, person, phone) = checked_person(&form)?;
    let after = ChainRow {
        role,
        person,
        phone,
        ..before.clone()
    };
    let mut tx = db.begin().await?;
    store::update_chain(&mut tx, &after).await?;
    audit_change(
        &mut tx,
        account,
        source,
        "chain_edit",
        "drowning_chain",
        &id.to_string(),
        Some(&audited(&before)),
        Some(&audited(&after)),
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(after)
}

/// Removes a link; returns what it was.
pub async fn remove_link(db: &Db, account: &Account, id: i64, source: &str) -> Result<ChainRow> {
    let before = visible_link(db, account, id).await?;
    require_keeps(account, &before)?;
    let mut tx = db.begin().await?;
    store::delete_chain(&mut tx, id).await?;
    audit_change(
        &mut tx,
        account,
        source,
        "chain_remove",
        "drowning_chain",
        &id.to_string(),
        Some(&audited(&before)),
        None::<&ChainRow>,
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(before)
}

/// The full phone of a link, for those who keep it; the view is audited.
pub async fn reveal_phone(db: &Db, account: &Account, id: i64, source: &str) -> Result<ChainRow> {
    let link = visible_link(db, account, id).await?;
    require_keeps(account, &link)?;
    let mut tx = db.begin().await?;
    audit_change(
        &mut tx,
        account,
        source,
        "view_unmasked",
        "drowning_chain",
        &id.to_string(),
        None::<&ChainRow>,
        None::<&ChainRow>,
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(link)
}

/// The links the account sees, of one level (all levels when `None`).
pub async fn links(db: &Db, account: &Account, level: Option<&str>) -> Result<Vec<ChainRow>> {
    Ok(store::chain(db, &account.scope, None, None)
        .await?
        .into_iter()
        .filter(|c| level.is_none_or(|l| c.level == l))
        .filter(|c| sees(account, c))
        .collect())
}

/// A page of the links the account sees ([`sees`], in the database), filtered.
pub async fn links_page(
    db: &Db,
    account: &Account,
    q: &store::ChainQuery,
) -> Result<emis_storage::lists::Page<ChainRow>> {
    let class = own_class(&account.scope);
    let own = match (&account.scope, &class) {
        (Scope::School { school, .. }, _) => Some((school.as_str(), None)),
        (Scope::Class { .. }, Some((school, label))) => {
            Some((school.as_str(), Some(label.as_str())))
        }
        _ => None,
    };
    Ok(store::chain_page(db, &account.scope, q, own).await?)
}

/// Adds a named person of the 九长 chain to a water body (村长 and 组长 answer for its village).
pub async fn add_chain_link(
    db: &Db,
    account: &Account,
    water_id: i64,
    form: &PersonForm,
    source: &str,
) -> Result<()> {
    visible_water(db, account, water_id).await?;
    let level = if matches!(form.role.trim(), "村长" | "组长") {
        "村"
    } else {
        "水域"
    };
    let target = TargetForm {
        level: level.into(),
        water: Some(water_id),
        ..TargetForm::default()
    };
    add_link(db, account, &target, form, source).await?;
    Ok(())
}
