//! Cell text as people type it in Chinese Excel: full-width digits and letters,
//! ideographic spaces, stray blanks.

/// Folds full-width ASCII (U+FF01..U+FF5E) to half-width, the ideographic space to a
/// space, and trims. Chinese characters are left alone.
pub fn fold_width(raw: &str) -> String {
    let folded: String = raw
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' | '\u{00A0}' => ' ',
            _ => c,
        })
        .collect();
    folded.trim().to_string()
}

/// A header name compared without blanks, asterisks (required-field marks) and
/// full-width differences, so "＊姓 名" matches "姓名".
pub fn header_key(raw: &str) -> String {
    fold_width(raw)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*' && *c != '＊')
        .collect()
}

/// Text made safe inside HTML, SVG or XML markup (an attribute or an element): the five
/// markup characters as entities, and the control characters XML 1.0 forbids left out (a
/// stray one in a cell would otherwise break a .docx).
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_and_forbidden_controls_left_out() {
        assert_eq!(
            escape_markup("A&B <大班额> \"x\" 'y'\u{1}\t"),
            "A&amp;B &lt;大班额&gt; &quot;x&quot; &#39;y&#39;\t"
        );
    }

    #[test]
    fn folds_full_width_digits_and_letters() {
        assert_eq!(fold_width("　１２３ＡＢｘ　"), "123ABx");
        assert_eq!(fold_width("（3）班"), "(3)班");
        assert_eq!(fold_width("卢峰镇"), "卢峰镇");
    }

    #[test]
    fn header_keys_ignore_marks_and_blanks() {
        assert_eq!(header_key("＊姓 名"), "姓名");
        assert_eq!(header_key(" 身份证件号* "), "身份证件号");
    }
}
