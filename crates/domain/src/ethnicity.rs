//! 民族: the 56 ethnic groups of GB/T 3304 (中国各民族名称的罗马字母拼写法和代码) in code
//! order, and the values the national student and household systems also use.

/// GB/T 3304 codes 01–56.
pub const GB3304: [&str; 56] = [
    "汉族",
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "高山族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "阿昌族",
    "普米族",
    "塔吉克族",
    "怒族",
    "乌孜别克族",
    "俄罗斯族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "塔塔尔族",
    "独龙族",
    "鄂伦春族",
    "赫哲族",
    "门巴族",
    "珞巴族",
    "基诺族",
];

/// Values beyond the 56 that the national systems accept: 97 其他 and 98 外国血统中国籍人士
/// (GB 3304-91), 穿青人 (Guizhou household registers) and 未识别民族.
pub const OTHER: [&str; 4] = ["其他", "外国血统中国籍人士", "穿青人", "未识别民族"];

/// The accepted spelling of a 民族 value: the full name (`苗族`), the name without 族
/// (`苗`), or its two-digit GB/T 3304 code (`06`); `None` for anything else.
pub fn parse(raw: &str) -> Option<&'static str> {
    let key = crate::text::fold_width(raw);
    let key = key.as_str();
    if let Some(found) = GB3304.iter().chain(OTHER.iter()).find(|n| **n == key) {
        return Some(found);
    }
    if let Some(found) = GB3304
        .iter()
        .find(|n| n.strip_suffix('族') == Some(key) && !key.is_empty())
    {
        return Some(found);
    }
    match key {
        "97" => return Some(OTHER[0]),
        "98" => return Some(OTHER[1]),
        _ => {}
    }
    if key.len() == 2 && key.bytes().all(|b| b.is_ascii_digit()) {
        let code: usize = key.parse().ok()?;
        return GB3304.get(code.checked_sub(1)?).copied();
    }
    None
}

/// The refusal text listing what is accepted.
pub fn choices() -> String {
    "GB/T 3304 的56个民族名称（如 汉族、苗族、土家族），或 其他、外国血统中国籍人士、穿青人".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_names_short_names_and_codes() {
        assert_eq!(parse("苗族"), Some("苗族"));
        assert_eq!(parse("苗"), Some("苗族"));
        assert_eq!(parse("06"), Some("苗族"));
        assert_eq!(parse("56"), Some("基诺族"));
        assert_eq!(parse("穿青人"), Some("穿青人"));
        assert_eq!(parse("97"), Some("其他"));
        assert_eq!(parse("火星族"), None);
        assert_eq!(parse("族"), None);
        assert_eq!(parse("00"), None);
        assert_eq!(parse("57"), None);
        assert_eq!(GB3304.len(), 56);
    }
}
