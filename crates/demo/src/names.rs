//! Name pools: surnames common in 溆浦, given-name characters, village and kindergarten
//! name stems, ethnicities. Weights are rough shares, not census figures.

use crate::rng::{chance, pick, pick_weighted, Rng};
use emis_domain::registry::Sex;

/// Surnames with relative weights (舒, 向, 贺, 谌 are characteristic of 溆浦).
const SURNAMES: &[(&str, f64)] = &[
    ("舒", 6.0),
    ("向", 6.0),
    ("张", 5.0),
    ("李", 5.0),
    ("王", 4.5),
    ("刘", 4.5),
    ("陈", 4.0),
    ("杨", 4.0),
    ("贺", 3.5),
    ("谌", 2.5),
    ("周", 3.0),
    ("曾", 2.5),
    ("黄", 2.0),
    ("邓", 2.0),
    ("易", 1.5),
    ("梁", 1.2),
    ("唐", 1.5),
    ("胡", 1.2),
    ("彭", 1.2),
    ("罗", 1.5),
    ("戴", 1.0),
    ("肖", 1.2),
    ("谭", 1.0),
    ("吴", 1.2),
    ("龙", 1.0),
    ("姚", 0.8),
    ("石", 0.8),
    ("蒋", 0.8),
    ("夏", 0.7),
    ("米", 0.6),
    ("瞿", 0.6),
    ("禹", 0.5),
    ("钟", 0.6),
    ("严", 0.6),
    ("邹", 0.6),
    ("田", 0.6),
    ("覃", 0.4),
    ("伍", 0.5),
    ("郑", 0.6),
    ("蒲", 0.4),
    ("滕", 0.4),
    ("奉", 0.3),
];

const MALE_CHARS: &[&str] = &[
    "伟", "浩", "宇", "轩", "杰", "俊", "博", "文", "涛", "鹏", "子", "睿", "泽", "宏", "明", "志",
    "强", "海", "峰", "磊", "晨", "阳", "诚", "毅", "航", "凯", "逸", "辰", "天", "家", "嘉", "振",
    "翔", "建", "新", "亮", "斌", "勇", "锦", "梓", "铭", "昊", "卓", "楠", "霖",
];

const FEMALE_CHARS: &[&str] = &[
    "欣", "怡", "婷", "雨", "萱", "涵", "佳", "琪", "思", "梦", "玲", "丽", "娜", "雪", "芳", "静",
    "颖", "悦", "可", "馨", "妍", "诗", "紫", "嘉", "慧", "晴", "燕", "雅", "彤", "艺", "若", "晓",
    "丹", "月", "蕾", "瑶", "倩", "茜", "媛", "蓉", "洁", "敏", "梓", "子", "语",
];

/// The name of someone who is a man with probability `male_share` (a guardian, a cadre,
/// a school's contact).
pub fn anyone_name(rng: &mut Rng, male_share: f64) -> String {
    let sex = if chance(rng, male_share) {
        Sex::Male
    } else {
        Sex::Female
    };
    person_name(rng, sex)
}

/// A full name: surname plus one or two characters (mostly two).
pub fn person_name(rng: &mut Rng, sex: Sex) -> String {
    let surname = SURNAMES[pick_weighted(rng, SURNAMES.len(), |i| SURNAMES[i].1)].0;
    let pool = match sex {
        Sex::Male => MALE_CHARS,
        Sex::Female => FEMALE_CHARS,
    };
    let mut name = String::with_capacity(9);
    name.push_str(surname);
    let chars = if crate::rng::chance(rng, 0.8) { 2 } else { 1 };
    for _ in 0..chars {
        let c: &&str = pick(rng, pool);
        name.push_str(c);
    }
    name
}

/// Two-character village name stems for village schools (“<镇><村>小学”).
pub const VILLAGES: &[&str] = &[
    "桐木", "石门", "杨家", "长乐", "龙头", "大坪", "马田", "竹园", "黄泥", "枫香", "岩板", "茶溪",
    "金鸡", "白沙", "高坪", "新田", "青山", "柳林", "花桥", "山背", "岩门", "洞口", "东岳", "双溪",
    "桃花", "栗坡", "茅坪", "中坪", "和平", "红旗", "塘湾", "坪溪", "芦茅", "沙坪", "油溪", "罗家",
    "中山", "龙湾", "木溪", "太平", "松林", "合田", "江口", "横岩", "梨树", "鸭塘", "古楼", "黄家",
    "上坪", "下湾", "溪口", "铁山", "狮子", "凉风", "朝阳", "兴隆", "三合", "联合", "田坪", "杉木",
    "樟树", "白岩", "烟竹", "麻溪", "芙蓉", "龙门", "仙鹅", "枣子", "水田", "青龙", "桥头", "坳头",
];

/// Stems for private kindergartens (“溆浦县<X>幼儿园”, “<镇><X>幼儿园”).
pub const KINDERGARTEN_STEMS: &[&str] = &[
    "阳光",
    "金太阳",
    "小天使",
    "博苑",
    "童心",
    "蓝天",
    "启明星",
    "育才",
    "小博士",
    "贝贝",
    "七彩",
    "星星",
    "爱心",
    "智慧树",
    "新世纪",
    "春蕾",
    "明珠",
    "金色童年",
    "快乐",
    "未来星",
    "红缨",
    "东方",
    "华艺",
    "童乐",
    "欣欣",
    "小精灵",
    "朝阳",
    "英才",
    "向阳",
    "金苹果",
    "小太阳",
    "晨曦",
    "彩虹",
    "天骄",
    "百灵鸟",
    "群英",
    "书香",
    "思源",
    "乐乐",
    "好孩子",
    "童话",
    "小星星",
    "雏鹰",
    "希望",
    "开心",
    "聪聪",
    "苗苗",
    "花蕾",
];

/// Ethnicities with weights for ordinary townships and for the 瑶 / 苗 mountain townships.
const ETHNICITIES: &[(&str, f64, f64)] = &[
    ("汉族", 0.925, 0.62),
    ("苗族", 0.035, 0.14),
    ("瑶族", 0.025, 0.20),
    ("侗族", 0.008, 0.02),
    ("土家族", 0.007, 0.02),
];

/// Townships with a sizeable 瑶族 / 苗族 population.
const MOUNTAIN_TOWNSHIPS: &[&str] = &[
    "北斗溪镇",
    "统溪河镇",
    "龙庄湾乡",
    "葛竹坪镇",
    "沿溪乡",
    "深子湖镇",
];

pub fn ethnicity(rng: &mut Rng, township: &str) -> &'static str {
    let mountain = MOUNTAIN_TOWNSHIPS.contains(&township);
    let i = pick_weighted(rng, ETHNICITIES.len(), |i| {
        if mountain {
            ETHNICITIES[i].2
        } else {
            ETHNICITIES[i].1
        }
    });
    ETHNICITIES[i].0
}

/// Area codes of other Hunan counties, for people first registered elsewhere.
pub const OTHER_AREAS: &[&str] = &[
    "431202", "431221", "431222", "431223", "431225", "431227", "431281", "431322", "430524",
    "431381",
];
