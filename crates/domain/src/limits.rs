//! 字段长度与金额上限: the one place where the longest text each kind of field accepts and
//! the largest amount of money are written down. Every import (through the column's name)
//! and every form or API that stores text (through the field kind) checks against these.
//!
//! | field kind | chars | examples |
//! |---|---|---|
//! | [`NAME`] | 50 | 姓名, 监护人, 责任人, 联系人 |
//! | [`CODE`] | 50 | 学校标识码, 学籍号, 证件号, 电话 |
//! | [`ORG_NAME`] | 100 | 学校名称, 水域名称, 单位 |
//! | [`SHORT_TEXT`] | 200 | any other column: 地点, 地址, 村(社区), 类别 |
//! | [`FREE_TEXT`] | 2,000 | 描述, 备注, 措施, 说明, 情况, 原因, 意见 |
//!
//! Money: at most [`MAX_YUAN`] 元 (1,000,000,000.00), two decimals.

/// Person names.
pub const NAME: usize = 50;
/// Codes, numbers and phone numbers.
pub const CODE: usize = 50;
/// Names of schools, units and places with a name.
pub const ORG_NAME: usize = 100;
/// Any other short field (the default for a column).
pub const SHORT_TEXT: usize = 200;
/// Free text: descriptions, remarks, measures.
pub const FREE_TEXT: usize = 2_000;

/// The largest amount of money accepted, in 元.
pub const MAX_YUAN: i64 = 1_000_000_000;
/// The same in 分.
pub const MAX_FEN: i64 = MAX_YUAN * 100;

/// The longest text a column of an import sheet accepts, by the column's name.
pub fn column_max_chars(column: &str) -> usize {
    const FREE: &[&str] = &[
        "描述", "备注", "措施", "说明", "情况", "原因", "内容", "意见", "问题",
    ];
    if FREE.iter().any(|k| column.contains(k)) {
        FREE_TEXT
    } else if column.contains("名称") || column.contains("单位") || column == "学校" {
        ORG_NAME
    } else if column.contains("姓名")
        || column.ends_with("人")
        || column == "监护人"
        || column == "户主"
    {
        NAME
    } else if column.contains("码")
        || column.contains("号")
        || column.contains("电话")
        || column.contains("证件")
    {
        CODE
    } else {
        SHORT_TEXT
    }
}

/// Refuses text longer than `max` characters, naming the field and both lengths.
pub fn check_len(label: &str, value: &str, max: usize) -> Result<(), String> {
    // A char is at least one byte: short byte strings need no counting.
    if value.len() <= max {
        return Ok(());
    }
    let chars = value.chars().count();
    if chars > max {
        Err(format!("{label}不能超过{max}个字（现有{chars}个字）"))
    } else {
        Ok(())
    }
}

/// Refuses an amount (in 分) above [`MAX_FEN`] or below zero.
pub fn check_fen(label: &str, fen: i64) -> Result<(), String> {
    if fen < 0 {
        Err(format!("{label}不能为负数"))
    } else if fen > MAX_FEN {
        Err(format!("{label}不能超过{MAX_YUAN}元"))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_kinds() {
        assert_eq!(column_max_chars("姓名"), NAME);
        assert_eq!(column_max_chars("监护人姓名"), NAME);
        assert_eq!(column_max_chars("学校名称"), ORG_NAME);
        assert_eq!(column_max_chars("身份证件号"), CODE);
        assert_eq!(column_max_chars("学校标识码"), CODE);
        assert_eq!(column_max_chars("隐患描述"), FREE_TEXT);
        assert_eq!(column_max_chars("户籍乡镇"), SHORT_TEXT);
    }

    #[test]
    fn lengths_are_counted_in_characters() {
        assert!(check_len("姓名", &"张".repeat(50), NAME).is_ok());
        assert_eq!(
            check_len("姓名", &"张".repeat(51), NAME).expect_err("long"),
            "姓名不能超过50个字（现有51个字）"
        );
    }

    #[test]
    fn money_is_bounded() {
        assert!(check_fen("整改资金", MAX_FEN).is_ok());
        assert!(check_fen("整改资金", MAX_FEN + 1)
            .expect_err("too much")
            .contains("不能超过1000000000元"));
        assert!(check_fen("整改资金", i64::MAX).is_err());
    }
}
