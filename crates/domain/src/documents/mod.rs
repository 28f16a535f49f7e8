//! 公文登记: the 方案, 细则, 通知 the bureau issues, each under its 文号, and the records
//! that cite a 文号 (the work a document governs links back to it).
//!
//! Glossary (code name → 中文): document → 公文, number → 文号 (issuer prefix → 发文机关代字,
//! year → 年份, serial → 序号), title → 标题, issued on → 成文日期, office → 发文单位 (the
//! bureau's 股室 or the bureau itself), category → 类别 (方案 / 细则 / 通知 / 意见 / 办法 /
//! 其他), file → 附件 (pdf / docx / xlsx), citation → 引用该文号的记录.

#[cfg(test)]
mod tests;

use crate::registry::labeled_enum;

labeled_enum!(
    /// 公文类别.
    DocCategory {
        Plan => "方案" | "实施方案" | "工作方案",
        Rules => "细则" | "实施细则",
        Notice => "通知",
        Opinion => "意见" | "实施意见",
        Measures => "办法" | "管理办法",
        Other => "其他" | "规定" | "要点",
    }
);

/// A 文号 read into its parts and written back in the one spelling the bureau uses:
/// `溆教发〔2021〕45号` (六角括号, no leading zeros).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocNumber {
    /// 发文机关代字, e.g. 溆教发, 溆教通, 溆政办发.
    pub issuer: String,
    pub year: i32,
    pub serial: u32,
}

/// The longest 机关代字 read (湘教通, 溆政办发, 中共溆浦县教育局委员会 …).
const ISSUER_MAX: usize = 20;

/// Folds the brackets a 文号 is typed with (〔〕, [], ［］, 【】, （）, (), 〖〗) into 〔〕 and
/// full-width ASCII into half-width; blanks go.
pub fn fold_number(raw: &str) -> String {
    crate::text::fold_width(raw)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '[' | '【' | '(' | '（' | '〖' | '［' => '〔',
            ']' | '】' | ')' | '）' | '〗' | '］' => '〕',
            other => other,
        })
        .collect()
}

impl DocNumber {
    /// Reads a 文号: an issuer prefix (Chinese characters or letters), 〔year〕 and a
    /// number followed by 号. Brackets and widths are folded first.
    pub fn parse(raw: &str) -> Result<DocNumber, String> {
        let shape = || {
            format!(
                "文号“{}”格式不对，应如 溆教发〔2021〕45号（机关代字、〔年份〕、序号和“号”）",
                raw.trim()
            )
        };
        let text = fold_number(raw);
        let (issuer, rest) = text.split_once('〔').ok_or_else(shape)?;
        let (year, rest) = rest.split_once('〕').ok_or_else(shape)?;
        let serial = rest.strip_suffix('号').ok_or_else(shape)?;
        let issuer_ok = !issuer.is_empty()
            && issuer.chars().count() <= ISSUER_MAX
            && issuer
                .chars()
                .all(|c| c.is_alphabetic() && !c.is_ascii_digit());
        if !issuer_ok {
            return Err(shape());
        }
        let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        if !digits(year) || year.len() != 4 || !digits(serial) || serial.len() > 6 {
            return Err(shape());
        }
        let year: i32 = year.parse().map_err(|_| shape())?;
        if !(1949..=2100).contains(&year) {
            return Err(format!("文号年份 {year} 不在 1949–2100 之间"));
        }
        let serial: u32 = serial.parse().map_err(|_| shape())?;
        if serial == 0 {
            return Err(format!("文号序号不能为 0：{}", raw.trim()));
        }
        Ok(DocNumber {
            issuer: issuer.to_string(),
            year,
            serial,
        })
    }

    /// Whether a stored text (a column that holds a 文号, perhaps with other words around
    /// it, in any bracket) names this document.
    pub fn cited_in(&self, text: &str) -> bool {
        let folded = fold_number(text);
        let head = format!("〔{}〕{}号", self.year, self.serial);
        folded
            .match_indices(&head)
            .any(|(at, _)| folded[..at].ends_with(self.issuer.as_str()))
    }
}

impl std::fmt::Display for DocNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}〔{}〕{}号", self.issuer, self.year, self.serial)
    }
}

/// Refuses a 成文日期 in another year than the 文号's (a 2021 number is issued in 2021).
pub fn check_year(number: &DocNumber, issued_on: chrono::NaiveDate) -> Result<(), String> {
    use chrono::Datelike;
    if issued_on.year() == number.year {
        Ok(())
    } else {
        Err(format!(
            "成文日期 {issued_on} 与文号年份 {} 不一致",
            number.year
        ))
    }
}
