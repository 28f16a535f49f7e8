//! A deterministic synthetic population roll and student roll for tests and benchmarks.

use super::{CompactRows, MatchSettings, PersonRows, PopulationPerson, RollStudent};
use crate::identity::IdNumber;
use crate::registry::{Sex, StudentStatus};
use chrono::{Days, NaiveDate};

const SURNAMES: [&str; 24] = [
    "张", "王", "李", "刘", "陈", "杨", "黄", "赵", "周", "吴", "舒", "向", "谌", "贺", "肖", "罗",
    "邓", "唐", "蒋", "谢", "戴", "欧阳", "瞿", "滕",
];
const GIVEN: [&str; 40] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "浩", "宇", "轩", "梓", "涵", "欣", "怡", "子", "睿", "博",
    "雨", "晨", "思", "佳", "俊", "婷", "鑫", "瑶",
];
const TOWNSHIPS: [&str; 25] = [
    "卢峰镇",
    "观音阁镇",
    "江口镇",
    "低庄镇",
    "龙潭镇",
    "双井镇",
    "大江口镇",
    "桥江镇",
    "思蒙镇",
    "黄茅园镇",
    "均坪镇",
    "葛竹坪镇",
    "三江镇",
    "水东镇",
    "北斗溪镇",
    "统溪河镇",
    "深子湖镇",
    "祖师殿镇",
    "舒溶溪乡",
    "龙庄湾乡",
    "中都乡",
    "沿溪乡",
    "淘金坪乡",
    "油洋乡",
    "小横垅乡",
];

/// A roll row before its strings are made.
struct Planned {
    id: [u8; 18],
    /// Index into the population, or `u32::MAX` for a student from elsewhere.
    person: u32,
    day: u32,
    sex: Sex,
    status: StudentStatus,
}

fn day_of(first_day: NaiveDate, day: usize) -> NaiveDate {
    first_day
        .checked_add_days(Days::new(day as u64))
        .unwrap_or(first_day)
}

fn bytes18(text: &str) -> [u8; 18] {
    let mut id = [b'0'; 18];
    for (to, from) in id.iter_mut().zip(text.bytes()) {
        *to = from;
    }
    id
}

fn text(id: &[u8; 18]) -> String {
    String::from_utf8_lossy(id).into_owned()
}

/// SplitMix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// The snapshot date the synthetic data is made for: 2021-09-01.
pub fn synthetic_as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 9, 1).unwrap_or_default()
}

/// Unique ID numbers: the k-th child born on a day with a sex gets area 431224 + k / 500
/// and sequence 2·(k mod 500) (+1 for boys), so no two children share a number.
struct Numbers {
    first_day: NaiveDate,
    counters: Vec<u32>,
    area_base: u32,
}

impl Numbers {
    fn new(first_day: NaiveDate, days: usize, area_base: u32) -> Numbers {
        Numbers {
            first_day,
            counters: vec![0; days * 2],
            area_base,
        }
    }

    fn next(&mut self, day: usize, sex: Sex) -> [u8; 18] {
        let male = usize::from(sex == Sex::Male);
        let slot = day * 2 + male;
        let k = self.counters[slot];
        self.counters[slot] += 1;
        let area = self.area_base + k / 500;
        let sequence = ((k % 500) * 2) as u16 + male as u16;
        let number = IdNumber::compose(&area.to_string(), day_of(self.first_day, day), sequence);
        bytes18(number.as_str())
    }
}

fn name(rng: &mut Rng) -> String {
    let mut name = rng.pick(&SURNAMES).to_string();
    name.push_str(rng.pick(&GIVEN));
    if rng.below(3) > 0 {
        name.push_str(rng.pick(&GIVEN));
    }
    name
}

fn school_code(rng: &mut Rng) -> String {
    format!("21430{:05}", 1000 + rng.below(300))
}

/// Swaps the first pair of differing adjacent digits at or after a random position among
/// the first 17 characters (the check character stays, so the number becomes invalid).
fn transpose(mut id: [u8; 18], rng: &mut Rng) -> Option<[u8; 18]> {
    let start = rng.below(16);
    let i = (0..16)
        .map(|k| (start + k) % 16)
        .find(|&i| id[i] != id[i + 1])?;
    id.swap(i, i + 1);
    Some(id)
}

/// Replaces the check character with another one.
fn wrong_check(mut id: [u8; 18], rng: &mut Rng) -> [u8; 18] {
    const CHARS: &[u8; 11] = b"0123456789X";
    let current = CHARS.iter().position(|&c| c == id[17]).unwrap_or(0);
    id[17] = CHARS[(current + 1 + rng.below(10)) % 11];
    id
}

/// A deterministic population roll of children aged 3–17 on 2021-08-31 (about two thirds
/// of compulsory age) and a student roll of exactly `n_students` rows, shuffled.
///
/// Each compulsory-age child is on the roll with probability 99% while the roll has room:
/// of every 10,000, 40 are missing entirely, 20 are on the roll under a number with two
/// adjacent digits transposed, 15 under a wrong check character, 25 under another number
/// (same name, birth date and sex), 50 as 休学, 30 as 送教上门, 20 as 转出, 10 as 毕业, and
/// 10 twice (a 转出 row and an 在读 row); the rest 在读. Older and younger children fill the
/// roll's remaining room as 在读, and students from elsewhere (not in the population) fill
/// whatever is left. ID numbers are valid and unique (IdNumber::compose).
pub fn synthetic_population(
    n_students: usize,
    n_population: usize,
    seed: u64,
) -> (Vec<PopulationPerson>, Vec<RollStudent>) {
    let mut population = Vec::with_capacity(n_population);
    let mut roll = Vec::with_capacity(n_students);
    generate(n_students, n_population, seed, &mut population, &mut roll);
    (population, roll)
}

/// The same rows as [`synthetic_population`], in the same order, straight into columnar
/// tables: a province-size input without ever holding its millions of strings.
pub fn synthetic_compact(
    n_students: usize,
    n_population: usize,
    seed: u64,
) -> (CompactRows, CompactRows) {
    let mut population = CompactRows::with_capacity(n_population);
    let mut roll = CompactRows::with_capacity(n_students);
    generate(n_students, n_population, seed, &mut population, &mut roll);
    (population, roll)
}

/// Where the generator puts its rows.
trait Collect<T> {
    fn collect_row(&mut self, row: T);
}

impl<T> Collect<T> for Vec<T> {
    fn collect_row(&mut self, row: T) {
        self.push(row);
    }
}

impl Collect<PopulationPerson> for CompactRows {
    fn collect_row(&mut self, p: PopulationPerson) {
        let status = StudentStatus::Enrolled;
        self.push(&p.id_number, &p.name, p.sex, p.birth_date, status);
    }
}

impl Collect<RollStudent> for CompactRows {
    fn collect_row(&mut self, s: RollStudent) {
        self.push(&s.id_number, &s.name, s.sex, s.birth_date, s.status);
    }
}

fn generate<P, R>(
    n_students: usize,
    n_population: usize,
    seed: u64,
    population: &mut P,
    roll: &mut R,
) where
    P: PersonRows + Collect<PopulationPerson>,
    R: Collect<RollStudent>,
{
    let as_of = synthetic_as_of();
    let first_day = NaiveDate::from_ymd_opt(2003, 9, 1).unwrap_or(as_of);
    let last_day = NaiveDate::from_ymd_opt(2018, 8, 31).unwrap_or(as_of);
    let days = (last_day - first_day).num_days() as usize + 1;
    let settings = MatchSettings::default();
    let mut rng = Rng(seed ^ 0x5eed_c0de_2021_0901);
    let mut numbers = Numbers::new(first_day, days, 431224);
    let mut other_numbers = Numbers::new(first_day, days, 650102);
    let mut outside_numbers = Numbers::new(first_day, days, 430102);

    // The roll is planned first and written out after shuffling, so that each row's
    // strings lie near the row, as they do when a roll is read from a database or a sheet.
    let mut plan: Vec<Planned> = Vec::with_capacity(n_students);
    let mut later: Vec<usize> = Vec::new();
    for i in 0..n_population {
        let day = rng.below(days);
        let birth = day_of(first_day, day);
        let sex = if rng.below(2) == 1 {
            Sex::Male
        } else {
            Sex::Female
        };
        let id = numbers.next(day, sex);
        let person = PopulationPerson {
            id_number: text(&id),
            name: name(&mut rng),
            sex,
            birth_date: birth,
            township: rng.pick(&TOWNSHIPS).to_string(),
            village: Some(format!("{}村", rng.pick(&GIVEN))),
            guardian: (rng.below(2) == 0).then(|| name(&mut rng)),
            phone: (rng.below(2) == 0).then(|| format!("13{:09}", rng.below(1_000_000_000))),
        };
        population.collect_row(person);
        if !settings.is_compulsory_age(birth, as_of) {
            later.push(i);
            continue;
        }
        if plan.len() >= n_students {
            continue;
        }
        let row = |id: [u8; 18], status: StudentStatus| Planned {
            id,
            person: i as u32,
            day: day as u32,
            sex,
            status,
        };
        match rng.below(10_000) {
            0..=39 => {}
            40..=59 => {
                if let Some(typo) = transpose(id, &mut rng) {
                    plan.push(row(typo, StudentStatus::Enrolled));
                }
            }
            60..=74 => plan.push(row(wrong_check(id, &mut rng), StudentStatus::Enrolled)),
            75..=99 => plan.push(row(other_numbers.next(day, sex), StudentStatus::Enrolled)),
            100..=149 => plan.push(row(id, StudentStatus::Suspended)),
            150..=179 => plan.push(row(id, StudentStatus::HomeTaught)),
            180..=199 => plan.push(row(id, StudentStatus::TransferredOut)),
            200..=209 => plan.push(row(id, StudentStatus::Graduated)),
            210..=219 => {
                plan.push(row(id, StudentStatus::TransferredOut));
                if plan.len() < n_students {
                    plan.push(row(id, StudentStatus::Enrolled));
                }
            }
            _ => plan.push(row(id, StudentStatus::Enrolled)),
        }
    }
    for i in later {
        if plan.len() >= n_students {
            break;
        }
        plan.push(Planned {
            id: bytes18(&population.id_number(i)),
            person: i as u32,
            day: (population.birth_date(i) - first_day).num_days() as u32,
            sex: population.sex(i),
            status: StudentStatus::Enrolled,
        });
    }
    while plan.len() < n_students {
        let day = rng.below(days);
        let sex = if rng.below(2) == 1 {
            Sex::Male
        } else {
            Sex::Female
        };
        plan.push(Planned {
            id: outside_numbers.next(day, sex),
            person: u32::MAX,
            day: day as u32,
            sex,
            status: StudentStatus::Enrolled,
        });
    }
    // Fisher–Yates, so that the roll's order has nothing to do with the population's.
    for i in (1..plan.len()).rev() {
        let j = rng.below(i + 1);
        plan.swap(i, j);
    }
    for planned in plan {
        let person = planned.person as usize;
        roll.collect_row(RollStudent {
            id_number: text(&planned.id),
            name: if person < population.row_count() {
                population.name(person).to_string()
            } else {
                name(&mut rng)
            },
            sex: planned.sex,
            birth_date: day_of(first_day, planned.day as usize),
            school_code: school_code(&mut rng),
            status: planned.status,
        });
    }
}
