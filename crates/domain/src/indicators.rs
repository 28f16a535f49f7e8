//! 指标目录: every figure on a dashboard or in a report is one of these, computed from
//! records. Each module adds its own entries; the codes are a contract (CONTRACTS.md).

use serde::Serialize;
use std::fmt::Write;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Unit {
    /// 个 / 人 / 人次: an integer count.
    Count,
    /// 元, two decimals; kept as fen (分) so sums are exact.
    Yuan,
    /// 0–1.
    Rate,
}

#[derive(Clone, Copy, Debug, Serialize)]
pub struct Indicator {
    pub code: &'static str,
    pub name: &'static str,
    pub definition: &'static str,
    pub unit: Unit,
}

const fn count(code: &'static str, name: &'static str, definition: &'static str) -> Indicator {
    Indicator {
        code,
        name,
        definition,
        unit: Unit::Count,
    }
}

const fn rate(code: &'static str, name: &'static str, definition: &'static str) -> Indicator {
    Indicator {
        code,
        name,
        definition,
        unit: Unit::Rate,
    }
}

pub const CATALOG: &[Indicator] = &[
    count(
        "students.enrolled",
        "在籍学生数",
        "当年有数据的最近一个学期中，全县学籍在册（在读、休学、送教上门）的不重复学生人数",
    ),
    rate(
        "preschool.public_share",
        "公办园在园幼儿占比",
        "当年有数据的最近一个学期中，公办幼儿园（含学校附设幼儿班）在园幼儿占全县在园幼儿的比例；无在园幼儿时无数据",
    ),
    rate(
        "preschool.inclusive_share",
        "普惠性幼儿园覆盖率",
        "当年有数据的最近一个学期中，公办与普惠性民办幼儿园在园幼儿占全县在园幼儿的比例；无在园幼儿时无数据",
    ),
    count(
        "classes.large.compulsory.spring",
        "义务教育大班额数（春季）",
        "春季学期义务教育阶段56人及以上的班级数（含超大班额）",
    ),
    count(
        "classes.oversize.compulsory.spring",
        "义务教育超大班额数（春季）",
        "春季学期义务教育阶段66人及以上的班级数",
    ),
    count(
        "classes.large.senior.spring",
        "普通高中大班额数（春季）",
        "春季学期普通高中56人及以上的班级数（含超大班额）",
    ),
    count(
        "classes.oversize.senior.spring",
        "普通高中超大班额数（春季）",
        "春季学期普通高中66人及以上的班级数",
    ),
    count(
        "classes.large.compulsory.autumn",
        "义务教育大班额数（秋季）",
        "秋季学期义务教育阶段56人及以上的班级数（含超大班额）",
    ),
    count(
        "classes.oversize.compulsory.autumn",
        "义务教育超大班额数（秋季）",
        "秋季学期义务教育阶段66人及以上的班级数",
    ),
    count(
        "classes.large.senior.autumn",
        "普通高中大班额数（秋季）",
        "秋季学期普通高中56人及以上的班级数（含超大班额）",
    ),
    count(
        "classes.oversize.senior.autumn",
        "普通高中超大班额数（秋季）",
        "秋季学期普通高中66人及以上的班级数",
    ),
    count(
        "safety.hazards.found",
        "排查发现隐患数",
        "当年排查时间在该年内登记的安全隐患条数（一般与重大）",
    ),
    count(
        "safety.hazards.rectified",
        "隐患整改销号数",
        "当年发现的隐患中，在年底前经复查销号的条数",
    ),
    count(
        "safety.hazards.overdue",
        "逾期未整改隐患数",
        "截至年底（12月31日）超过整改时限仍未销号的隐患条数",
    ),
    rate(
        "drowning.waters.equipped",
        "重点水域防护设施到位率",
        "风险等级为高或较高的水域中，一牌一杆一圈一绳齐全（或已回填、封闭）的比例",
    ),
    rate(
        "drowning.patrol.compliance",
        "暑期重点水域巡查达标率",
        "7–8月每个重点水域每天至少巡查2次：达标的（水域、日）数占应巡查（水域、日）数的比例",
    ),
    rate(
        "drowning.letters.signed",
        "致家长一封信签收率",
        "秋季学期在籍学生中，家长已签收当年致家长一封信的比例",
    ),
    count(
        "dropout.suspected",
        "疑似辍学人数",
        "当年最近一次户籍适龄人口名册中，义务教育适龄（截止日6至15周岁）且身份证件号不在全县学籍中的儿童人数",
    ),
    count(
        "dropout.probable",
        "疑似匹配待确认人数",
        "疑似辍学儿童中，学籍中有姓名、出生日期、性别相同（或证件号仅颠倒、校验位不同）的疑似匹配且案件尚未销号的人数",
    ),
    count(
        "dropout.unresolved",
        "疑似辍学未销号人数",
        "疑似辍学儿童中，案件尚未以处理结果销号的人数",
    ),
    count(
        "dropout.home_teaching.spring",
        "送教上门人数（春季）",
        "春季学期有送教上门方案或学籍状态为送教上门的不重复学生人数",
    ),
    count(
        "dropout.home_teaching.autumn",
        "送教上门人数（秋季）",
        "秋季学期有送教上门方案或学籍状态为送教上门的不重复学生人数",
    ),
    count(
        "aid.person_times",
        "资助学生人次",
        "当年春秋两学期的资助发放记录中，不重复的（学生、资助项目、学期）数：一名学生在一个学期获一个项目资助为1人次",
    ),
    Indicator {
        code: "aid.amount",
        name: "资助金额",
        definition: "当年春秋两学期资助发放记录的金额合计（元）",
        unit: Unit::Yuan,
    },
    count(
        "aid.missed",
        "应助未助人次",
        "按当年资助政策目录和学籍事实符合资助条件、但该学期没有该项目发放记录的（学生、资助项目、学期）数",
    ),
    count(
        "staff.total",
        "教职工数",
        "年底在册教职工人数（入职日期在年底及以前或未填）",
    ),
    count(
        "staff.teachers",
        "专任教师数",
        "年底在册教职工中岗位类别为专任教师的人数",
    ),
    count(
        "staff.recruited",
        "补充教师数",
        "入职日期在当年的教职工人数（特岗计划、公开招聘、公费师范生、调入四个渠道之和）",
    ),
    count(
        "staff.recruited.tegang",
        "补充教师：特岗计划",
        "入职日期在当年、补充渠道为特岗计划的教职工人数",
    ),
    count(
        "staff.recruited.open",
        "补充教师：公开招聘",
        "入职日期在当年、补充渠道为公开招聘的教职工人数",
    ),
    count(
        "staff.recruited.funded_normal",
        "补充教师：公费师范生",
        "入职日期在当年、补充渠道为公费师范生的教职工人数",
    ),
    count(
        "staff.recruited.transfer",
        "补充教师：调入",
        "入职日期在当年、补充渠道为调入的教职工人数",
    ),
    count(
        "staff.funded_normal.selected",
        "公费定向师范生选拔数",
        "选拔年度为当年的公费定向师范生人数",
    ),
    count(
        "staff.studios.master",
        "名师名校长工作室数",
        "年底（12月31日）在运行的名师名校长工作室个数：成立日期在年底及以前且未撤销",
    ),
    count(
        "staff.studios.subject",
        "学科工作室数",
        "年底（12月31日）在运行的学科工作室个数：成立日期在年底及以前且未撤销",
    ),
    count(
        "staff.training.person_times",
        "教师培训人次",
        "开始日期在当年的培训项目中结业的（培训项目、教师）数：一名教师完成一个项目为1人次",
    ),
    count(
        "staff.training.persons",
        "参训教师人数",
        "当年结业至少一个培训项目的不重复教师人数",
    ),
    count(
        "staff.awarded",
        "表彰教师人次",
        "当年已授予的（教师、荣誉称号）数",
    ),
    Indicator {
        code: "staff.award_amount",
        name: "表彰奖励金额",
        definition: "当年已授予表彰的奖金合计（元）",
        unit: Unit::Yuan,
    },
    count(
        "double_reduction.institutions.closed",
        "无证校外培训机构关停数",
        "无办学许可证的校外培训机构中，当年状态变更为关停的机构数（按当年的状态变更记录计）",
    ),
    count(
        "double_reduction.institutions.deregistered",
        "学科类校外培训机构注销数",
        "学科类校外培训机构中，当年状态变更为注销的机构数",
    ),
    count(
        "double_reduction.institutions.transformed",
        "学科类校外培训机构转型数",
        "学科类校外培训机构中，当年状态变更为转型（转为非学科类）的机构数",
    ),
    rate(
        "after_school.coverage",
        "课后服务开展率",
        "当年最近一个有课后服务记录的学期中，开展课后服务的义务教育学校数 / 义务教育学校数",
    ),
    rate(
        "after_school.time_compliance",
        "课后服务时间达标率",
        "开展课后服务的义务教育学校中，每周5天、每天不少于120分钟（5+2）的学校所占比例",
    ),
    rate(
        "after_school.participation",
        "课后服务学生参与率",
        "参加课后服务的学生数 / 义务教育学校在籍学生数（同一学期）",
    ),
    Indicator {
        code: "projects.investment",
        name: "教育项目建设投资",
        definition: "建设项目当年的本年投资合计（元），按项目的年度投资记录计",
        unit: Unit::Yuan,
    },
    count(
        "degrees.added.compulsory",
        "新增义务教育学位",
        "当年竣工的建设项目新增的义务教育学位",
    ),
    count(
        "degrees.added.senior",
        "新增高中及中职学位",
        "当年竣工的建设项目新增的普通高中与中职学位之和",
    ),
    count(
        "degrees.added.vocational",
        "新增中职学位",
        "当年竣工的建设项目新增的中职学位（含在高中及中职学位中）",
    ),
    count(
        "degrees.added.preschool_public",
        "新增公办学前教育学位",
        "当年竣工的建设项目新增的公办幼儿园学位",
    ),
    count(
        "staff_housing.units",
        "新增教师周转宿舍",
        "当年竣工的建设项目新增的教师周转宿舍套数",
    ),
    count(
        "schools.titled.football",
        "全国青少年校园足球特色学校",
        "当年被授予全国青少年校园足球特色学校的学校数（按荣誉登记，名称含“足球特色学校”）",
    ),
    count(
        "schools.titled.basketball",
        "全国青少年校园篮球特色学校",
        "当年被授予全国青少年校园篮球特色学校的学校数（名称含“篮球特色学校”）",
    ),
    count(
        "schools.titled.reading",
        "书香校园",
        "当年被评为“书香校园”的学校数",
    ),
    count(
        "safety.incidents",
        "安全事故数",
        "安全事故登记中发生日期在当年的事故起数（校内、校外均计）",
    ),
    count(
        "safety.incidents.in_school",
        "校内安全事故数",
        "当年发生、登记为在校期间的安全事故起数",
    ),
    count(
        "safety.incidents.deaths",
        "安全事故死亡人数",
        "当年发生的安全事故登记的死亡人数之和",
    ),
    count(
        "drowning.deaths",
        "溺水死亡人数",
        "当年发生的溺水事故登记的死亡人数之和",
    ),
    count(
        "vocational.five_year_intake",
        "五年制大专招生人数",
        "职业学校学制为五年制大专的专业当年招生人数之和",
    ),
    count(
        "party.activists",
        "培养入党积极分子人数",
        "当年确定为入党积极分子的不重复人数（按发展阶段日期计）",
    ),
    count(
        "party.probationary",
        "发展预备党员人数",
        "当年接收为预备党员的不重复人数（按发展阶段日期计）",
    ),
    count(
        "party.confirmed",
        "预备党员转正人数",
        "当年按期转为正式党员的不重复人数（预备期满一年，按转正日期计）",
    ),
];

pub fn find(code: &str) -> Option<&'static Indicator> {
    CATALOG.iter().find(|i| i.code == code)
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    Count(i64),
    /// Fen (分): 4982490000 fen is 49,824,900.00 yuan.
    Fen(i64),
    Rate(f64),
    /// A decimal kept in hundredths (a form's 小数 field summed): 6750 is 67.50.
    Hundredths(i64),
}

impl Value {
    /// A rate, or no figure (`None`: a rate over an empty set), which every surface writes
    /// as 无数据 (json `null`).
    pub fn rate_or_none(share: Option<f64>) -> Value {
        Value::Rate(share.unwrap_or(f64::NAN))
    }

    /// A rate for people: `95.5%`, or 无数据 when there is nothing to divide by.
    pub fn percent(share: Option<f64>) -> String {
        Value::rate_or_none(share).display()
    }

    /// The JSON spelling CONTRACTS.md fixes: integers, yuan with two decimals, rates 0–1.
    pub fn to_json(self) -> String {
        match self {
            Value::Count(n) => n.to_string(),
            Value::Fen(hundredths) | Value::Hundredths(hundredths) => {
                let sign = if hundredths < 0 { "-" } else { "" };
                let abs = hundredths.unsigned_abs();
                format!("{sign}{}.{:02}", abs / 100, abs % 100)
            }
            Value::Rate(r) if r.is_finite() => format!("{}", (r * 10_000.0).round() / 10_000.0),
            Value::Rate(_) => "null".to_string(),
        }
    }

    /// The same value for people: 49,824,900.00 元, 95.5%.
    pub fn display(self) -> String {
        match self {
            Value::Count(n) => n.to_string(),
            Value::Fen(_) => format!("{} 元", self.to_json()),
            Value::Hundredths(_) => self.to_json(),
            Value::Rate(r) if r.is_finite() => format!("{:.1}%", r * 100.0),
            Value::Rate(_) => "无数据".to_string(),
        }
    }
}

/// The values of one annual report, in catalog order.
#[derive(Clone, Debug, Default)]
pub struct IndicatorSet {
    pub values: Vec<(&'static str, Value)>,
    /// `form.CODE.FIELD`: the forms' submitted figures, named by the forms the county
    /// defined (not in the static catalog), by code.
    pub forms: Vec<(String, Value)>,
}

impl IndicatorSet {
    pub fn push(&mut self, code: &'static str, value: Value) {
        debug_assert!(
            find(code).is_some(),
            "indicator {code} is not in the catalog"
        );
        self.values.push((code, value));
    }

    pub fn get(&self, code: &str) -> Option<Value> {
        self.values
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, v)| *v)
            .or_else(|| self.forms.iter().find(|(c, _)| c == code).map(|(_, v)| *v))
    }

    /// `{"year": 2021, "county": "431224", "indicators": {"CODE": value, …}}`
    pub fn to_json(&self, year: i32, county: &str) -> String {
        let mut out = format!("{{\"year\": {year}, \"county\": \"{county}\", \"indicators\": {{");
        let all = self
            .values
            .iter()
            .map(|(c, v)| (*c, v))
            .chain(self.forms.iter().map(|(c, v)| (c.as_str(), v)));
        for (i, (code, value)) in all.enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            let _ = write!(out, "{sep}\"{code}\": {}", value.to_json());
        }
        out.push_str("}}");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_keeps_two_decimals() {
        assert_eq!(Value::Fen(4_982_490_000).to_json(), "49824900.00");
        assert_eq!(Value::Fen(5).to_json(), "0.05");
        assert_eq!(Value::Rate(1.0).to_json(), "1");
    }

    #[test]
    fn a_rate_over_nothing_is_no_figure() {
        assert_eq!(Value::Rate(f64::NAN).to_json(), "null");
        assert_eq!(Value::Rate(f64::NAN).display(), "无数据");
        assert_eq!(Value::Rate(0.855).display(), "85.5%");
    }

    #[test]
    fn catalog_codes_are_unique() {
        let mut codes: Vec<_> = CATALOG.iter().map(|i| i.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), CATALOG.len());
    }

    #[test]
    fn json_shape() {
        let mut set = IndicatorSet::default();
        set.push("students.enrolled", Value::Count(3));
        let json = set.to_json(2021, "431224");
        assert_eq!(
            json,
            "{\"year\": 2021, \"county\": \"431224\", \"indicators\": {\"students.enrolled\": 3}}"
        );
    }
}
