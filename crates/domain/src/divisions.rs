//! 行政区划: the counties the system knows and their townships (统计用区划代码 2021).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Township {
    pub code: &'static str,
    pub name: &'static str,
    /// 城区 for the county seat, otherwise the township's usual category.
    pub urban: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct County {
    pub code: &'static str,
    pub name: &'static str,
    pub full_name: &'static str,
    pub townships: &'static [Township],
}

const fn t(code: &'static str, name: &'static str) -> Township {
    Township {
        code,
        name,
        urban: false,
    }
}

/// 溆浦县 (湖南省怀化市), 18 镇 and 7 乡; 卢峰镇 is the county seat.
pub const XUPU: County = County {
    code: "431224",
    name: "溆浦县",
    full_name: "湖南省怀化市溆浦县",
    townships: &[
        Township {
            code: "431224100",
            name: "卢峰镇",
            urban: true,
        },
        t("431224102", "低庄镇"),
        t("431224103", "桥江镇"),
        t("431224104", "龙潭镇"),
        t("431224105", "均坪镇"),
        t("431224106", "观音阁镇"),
        t("431224107", "双井镇"),
        t("431224108", "水东镇"),
        t("431224109", "两丫坪镇"),
        t("431224110", "黄茅园镇"),
        t("431224112", "葛竹坪镇"),
        t("431224118", "大江口镇"),
        t("431224119", "思蒙镇"),
        t("431224120", "深子湖镇"),
        t("431224121", "祖师殿镇"),
        t("431224122", "三江镇"),
        t("431224123", "统溪河镇"),
        t("431224124", "北斗溪镇"),
        t("431224204", "舒溶溪乡"),
        t("431224213", "油洋乡"),
        t("431224219", "小横垅乡"),
        t("431224223", "中都乡"),
        t("431224224", "沿溪乡"),
        t("431224230", "龙庄湾乡"),
        t("431224231", "淘金坪乡"),
    ],
};

/// The counties that `emis init --county` accepts.
pub const KNOWN: &[County] = &[XUPU];

pub fn county(code: &str) -> Option<&'static County> {
    KNOWN.iter().find(|c| c.code == code)
}

impl County {
    /// Finds a township by its name or its 9-digit code.
    pub fn township(&self, name_or_code: &str) -> Option<&'static Township> {
        let key = crate::text::fold_width(name_or_code);
        self.townships
            .iter()
            .find(|t| t.name == key || t.code == key)
    }

    /// The township a 户籍地址 lies in, as the police household roll writes the address in
    /// full (`湖南省溆浦县龙潭镇岩板村3组`): a township of this county whose name the address
    /// holds (the longest, should one name hold another), once the county's own name is
    /// passed; `None` when it names none.
    pub fn township_in_address(&self, address: &str) -> Option<&'static Township> {
        let text = crate::text::fold_width(address);
        let rest = text
            .find(self.name)
            .map_or(text.as_str(), |at| &text[at + self.name.len()..]);
        self.townships
            .iter()
            .filter(|t| rest.contains(t.name))
            .max_by_key(|t| t.name.len())
    }

    /// A township by name or code, else by the address it is written in.
    pub fn township_named_or_in(&self, text: &str) -> Option<&'static Township> {
        self.township(text)
            .or_else(|| self.township_in_address(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn townships_are_found_in_household_addresses() {
        let at = |text| XUPU.township_named_or_in(text).map(|t| t.name);
        assert_eq!(at("湖南省怀化市溆浦县龙潭镇岩板村3组"), Some("龙潭镇"));
        assert_eq!(at("溆浦县卢峰镇"), Some("卢峰镇"));
        assert_eq!(at("431224104"), Some("龙潭镇"));
        assert_eq!(at("湖南省长沙市岳麓区"), None);
    }

    #[test]
    fn xupu_has_18_towns_and_7_xiang() {
        assert_eq!(XUPU.townships.len(), 25);
        assert_eq!(
            XUPU.townships
                .iter()
                .filter(|t| t.name.ends_with('镇'))
                .count(),
            18
        );
        assert_eq!(
            XUPU.townships
                .iter()
                .filter(|t| t.name.ends_with('乡'))
                .count(),
            7
        );
        assert!(XUPU
            .townships
            .iter()
            .all(|t| t.code.starts_with("431224") && t.code.len() == 9));
        assert_eq!(XUPU.township("卢峰镇").map(|t| t.urban), Some(true));
        assert_eq!(XUPU.township("431224231").map(|t| t.name), Some("淘金坪乡"));
    }
}
