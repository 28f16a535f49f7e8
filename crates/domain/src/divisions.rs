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

/// A county the system knows: one compiled in ([`KNOWN`]) or one a city's database holds
/// ([`register`]).
pub fn county(code: &str) -> Option<&'static County> {
    KNOWN.iter().find(|c| c.code == code).or_else(|| {
        REGISTERED
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .copied()
            .find(|c| c.code == code)
    })
}

/// The counties of a city or province database beyond [`KNOWN`], as its org units list them.
/// The storage layer registers each when it creates the county and, on opening a database,
/// every county the database holds; the rules read them as they read 溆浦县. A process holds
/// a handful of databases at most, so the few hundred strings are kept for its lifetime.
static REGISTERED: std::sync::RwLock<Vec<&'static County>> = std::sync::RwLock::new(Vec::new());

/// Makes a county and its townships known (kept when it is known already).
pub fn register(county: County) -> &'static County {
    if let Some(known) = self::county(county.code) {
        return known;
    }
    let mut registered = REGISTERED.write().unwrap_or_else(|e| e.into_inner());
    if let Some(known) = registered.iter().copied().find(|c| c.code == county.code) {
        return known;
    }
    let county: &'static County = Box::leak(Box::new(county));
    registered.push(county);
    county
}

/// Makes a county known from its stored names: `townships` as (9-digit code, name). The
/// county seat is not stored; by the 统计用区划代码 numbering, 街道 (codes x001–x099) are 城区,
/// and a county without 街道 has its seat at its first 镇 (x100, as 卢峰镇 of 溆浦县).
pub fn register_stored(
    code: &str,
    name: &str,
    full_name: &str,
    townships: &[(String, String)],
) -> &'static County {
    if let Some(known) = county(code) {
        return known;
    }
    let leak = |text: &str| -> &'static str { Box::leak(text.to_string().into_boxed_str()) };
    let serial = |code: &str| code.get(6..).and_then(|s| s.parse::<u32>().ok());
    let has_streets = townships
        .iter()
        .any(|(c, _)| serial(c).is_some_and(|n| n < 100));
    let townships: Vec<Township> = townships
        .iter()
        .map(|(c, n)| Township {
            code: leak(c),
            name: leak(n),
            urban: match serial(c) {
                Some(n) if has_streets => n < 100,
                Some(n) => n == 100,
                None => false,
            },
        })
        .collect();
    register(County {
        code: leak(code),
        name: leak(name),
        full_name: leak(full_name),
        townships: Box::leak(townships.into_boxed_slice()),
    })
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
    fn a_stored_county_is_known_with_its_seat() {
        let towns = [
            ("431202001".to_string(), "城中街道".to_string()),
            ("431202100".to_string(), "凉亭坳镇".to_string()),
        ];
        let county = register_stored("431202", "鹤城区", "湖南省怀化市鹤城区", &towns);
        assert_eq!(self::county("431202"), Some(county));
        assert_eq!(county.township("城中街道").map(|t| t.urban), Some(true));
        assert_eq!(county.township("431202100").map(|t| t.urban), Some(false));
        // Without 街道, the first 镇 is the seat; a compiled county is never replaced.
        let towns = [
            ("431227100".to_string(), "沅河镇".to_string()),
            ("431227200".to_string(), "某乡".to_string()),
        ];
        let county = register_stored("431227", "新晃县", "湖南省怀化市新晃县", &towns);
        assert_eq!(county.township("沅河镇").map(|t| t.urban), Some(true));
        assert_eq!(county.township("某乡").map(|t| t.urban), Some(false));
        assert_eq!(register_stored("431224", "x", "x", &[]).name, "溆浦县");
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
