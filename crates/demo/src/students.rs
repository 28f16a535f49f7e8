//! The student roll: spring-2021 classes planned to size, then the move up to autumn 2021.
//!
//! Spring: every school gets its classes per grade (`Plan::streams`); a class's size is its
//! number of 在读 students, drawn from a band. The 大班额 bands are handed out by weighted
//! sampling without replacement over the classes of urban and town-seat schools, so the
//! number of classes in each band is exactly the planned number. 送教上门, 休学 and 转出
//! students are extra members of a class and do not change its size.
//!
//! Autumn: each student moves up one grade (or to another school when theirs lacks the
//! grade, or leaves), a new 小班 intake and some new arrivals join, and every (school, grade)
//! is split into as many classes as keep each class at or under its target size (55 at
//! most). The number of new arrivals is what brings the autumn roll to its planned total.
//!
//! `spring` plans the spring classes, `autumn` routes the move up and forms the autumn
//! classes; this file holds the people, the seats and `generate`, which runs both.

use crate::hardship;
use crate::ids::IdBook;
use crate::names;
use crate::rng::{between, chance, index, pick, shuffle, unit, Cumulative, Rng};
use crate::schools::{seat, township_weight, Kind, Plan};
use chrono::{Days, NaiveDate};
use emis_domain::divisions::XUPU;
use emis_domain::registry::{Grade, Hardship, Sex, Stage, StudentRecord, StudentStatus};
use emis_domain::term::Term;

mod autumn;
mod spring;

use autumn::{autumn_school, form_autumn_classes, Routes};
use spring::plan_spring;

/// Spring-2021 义务教育 classes planned at 56 or more (超大 included): the seed's 664.
pub const SPRING_COMPULSORY_LARGE: usize = 664;
/// Of those, classes planned at 66 or more: the seed's 108.
pub const SPRING_COMPULSORY_OVERSIZE: usize = 108;
/// Spring-2021 普通高中 classes planned at 56 or more: the seed's 68.
pub const SPRING_SENIOR_LARGE: usize = 68;
/// Of those, planned at 66 or more: the seed's 3.
pub const SPRING_SENIOR_OVERSIZE: usize = 3;
/// 送教上门 students, spring and autumn 2021: the seed's 265 and 256.
pub const SPRING_HOME_TAUGHT: usize = 265;
pub const AUTUMN_HOME_TAUGHT: usize = 256;
/// Students on the roll (在读, 休学, 送教上门) in autumn 2021: the seed's 148955.
pub const AUTUMN_ON_ROLL: usize = 148_955;

/// Share of 九年级 going on to 普通高中, and to the 中职 (the rest leave the county roll).
const TO_GENERAL_SENIOR: f64 = 0.50;
const TO_VOCATIONAL: f64 = 0.22;
/// Autumn 小班 intake as a share of the spring 小班.
const NURSERY_INTAKE: f64 = 0.95;
/// 一年级 entrants who come straight from home, as a share of the spring 一年级.
const FIRST_GRADERS_FROM_HOME: f64 = 0.2;
/// Share of continuing students who leave the county over the summer.
const SUMMER_LEAVERS: f64 = 0.006;
/// Share of urban compulsory students moved to the new 雅堂芙蓉学校 in autumn.
const TO_NEW_SCHOOL: f64 = 0.05;
/// Share of rural children who start 一年级 / 七年级 in the county seat.
const RURAL_TO_SEAT_G1: f64 = 0.18;
const RURAL_TO_SEAT_G7: f64 = 0.12;

/// A student's identity, the same in both terms.
struct Person {
    name: String,
    sex: Sex,
    id: String,
    birth: NaiveDate,
    ethnicity: &'static str,
    household: usize,
    hardship: Hardship,
    disability: Option<&'static str>,
    /// Fixed draw compared with the boarding share of the student's school and grade.
    boarding_draw: f64,
}

/// Where a student sits in one term.
#[derive(Clone, Copy, Debug)]
struct Seat {
    person: u32,
    school: u16,
    grade: Grade,
    class: u16,
    status: StudentStatus,
    /// Spring school and class (for keeping classmates together), `u32::MAX` when new.
    origin: u32,
}

/// One spring class as planned.
struct ClassPlan {
    school: u16,
    grade: Grade,
    number: u16,
    size: u16,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Band {
    Normal,
    Large,
    Oversize,
}

/// The generated roll.
pub struct Roll {
    pub students: Vec<StudentRecord>,
    /// The county seat's 一年级 and 七年级 intake, allocated by the enrollment engine.
    pub intake: Vec<crate::intake::DemoIntake>,
}

struct Ctx<'a> {
    plans: &'a [Plan],
    seat: usize,
    /// Townships other than the seat, by weight (for students from elsewhere).
    elsewhere: Cumulative,
    /// All townships, the seat weighted as the largest.
    anywhere: Cumulative,
    people: Vec<Person>,
}

/// Age offset from the typical age for the grade: mostly 0, some ±1, a handful 2–3.
/// Keeps the student 3 or older in this term and 17 or younger on 1 September 2021.
fn age_offset(rng: &mut Rng, grade: Grade, grade_in_2021: Option<Grade>) -> i32 {
    let lo = 3 - grade.typical_age();
    let hi = grade_in_2021.map_or(3, |g| 17 - g.typical_age());
    let r = unit(rng);
    let offset = if r < 0.0022 {
        2
    } else if r < 0.0028 {
        3
    } else if r < 0.0033 {
        -2
    } else if r < 0.14 {
        1
    } else if r < 0.205 {
        -1
    } else {
        0
    };
    if offset < lo || offset > hi {
        0
    } else {
        offset
    }
}

/// A birth date giving exactly `age` full years on `start` (1 September).
fn birth_date(rng: &mut Rng, age: i32, start: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    let y = start.year();
    let first = NaiveDate::from_ymd_opt(y - age - 1, 9, 2).expect("2 September exists");
    let last = NaiveDate::from_ymd_opt(y - age, 9, 1).expect("1 September exists");
    let span = (last - first).num_days() as u64;
    first
        .checked_add_days(Days::new(rng_u64(rng, span)))
        .expect("within the year")
}

fn rng_u64(rng: &mut Rng, max_inclusive: u64) -> u64 {
    index(rng, max_inclusive as usize + 1) as u64
}

/// Boarding share for a school and grade (kindergartens and day schools: none).
fn boarding_share(plan: &Plan, grade: Grade) -> f64 {
    if !plan.school.boarding {
        return 0.0;
    }
    let upper_primary = matches!(grade, Grade::G4 | Grade::G5 | Grade::G6);
    match (plan.kind, grade.stage()) {
        (_, Stage::Preschool) => 0.0,
        (Kind::TownJunior | Kind::RuralNineYear, Stage::Junior) => 0.78,
        (Kind::UrbanJunior, _) => 0.25,
        (Kind::Complete, Stage::Junior) => 0.45,
        (Kind::Complete | Kind::Senior, Stage::Senior) => 0.70,
        (Kind::Vocational, _) => 0.80,
        (Kind::Special, _) => 0.60,
        (_, Stage::Primary) if upper_primary => 0.35,
        (_, Stage::Primary) => 0.08,
        _ => 0.30,
    }
}

impl Ctx<'_> {
    fn household(&self, rng: &mut Rng, plan: &Plan) -> usize {
        let county_wide = matches!(
            plan.kind,
            Kind::Complete | Kind::Senior | Kind::Vocational | Kind::Special
        );
        if plan.township == self.seat {
            let local = if county_wide { 0.35 } else { 0.6 };
            if chance(rng, local) {
                self.seat
            } else {
                self.elsewhere.sample(rng)
            }
        } else if county_wide {
            if chance(rng, 0.5) {
                plan.township
            } else {
                self.anywhere.sample(rng)
            }
        } else if chance(rng, 0.96) {
            plan.township
        } else {
            self.elsewhere.sample(rng)
        }
    }

    /// A new student for `grade` at school `school` in `term`.
    fn new_person(
        &mut self,
        rng: &mut Rng,
        ids: &mut IdBook,
        school: usize,
        grade: Grade,
        term: Term,
        arrival: bool,
    ) -> u32 {
        let plan = &self.plans[school];
        let sex = if chance(rng, 0.53) {
            Sex::Male
        } else {
            Sex::Female
        };
        let grade_in_2021 = if term == Term::spring(2021) {
            grade.next()
        } else {
            Some(grade)
        };
        let offset = age_offset(rng, grade, grade_in_2021);
        let birth = birth_date(rng, grade.typical_age() + offset, term.school_year_start());
        let outside = if arrival { 0.25 } else { 0.03 };
        let area = if chance(rng, outside) {
            *pick(rng, names::OTHER_AREAS)
        } else {
            XUPU.code
        };
        let id = ids.issue(rng, area, birth, sex);
        let household = self.household(rng, plan);
        let ethnicity = names::ethnicity(rng, XUPU.townships[household].name);
        let (hardship, disability) = if plan.kind == Kind::Special {
            hardship::special_school(rng)
        } else {
            hardship::assign_hardship(rng, plan.school.urban_rural)
        };
        let name = names::person_name(rng, sex);
        self.people.push(Person {
            name,
            sex,
            id,
            birth,
            ethnicity,
            household,
            hardship,
            disability,
            boarding_draw: unit(rng),
        });
        (self.people.len() - 1) as u32
    }

    /// Marks a person as a 送教上门 child (残疾学生, not boarding).
    fn make_home_taught(&mut self, rng: &mut Rng, person: u32) {
        let (hardship, disability) = hardship::home_taught(rng);
        let p = &mut self.people[person as usize];
        p.hardship = hardship;
        p.disability = disability;
        p.boarding_draw = 1.0;
    }
}

/// Weighted choice among schools.
struct Choice {
    schools: Vec<usize>,
    weights: Cumulative,
}

impl Choice {
    fn new(items: Vec<(usize, f64)>) -> Choice {
        let weights = Cumulative::new(items.iter().map(|(_, w)| *w));
        Choice {
            schools: items.into_iter().map(|(s, _)| s).collect(),
            weights,
        }
    }

    fn sample(&self, rng: &mut Rng) -> Option<usize> {
        if self.schools.is_empty() || self.weights.is_empty() {
            return None;
        }
        Some(self.schools[self.weights.sample(rng)])
    }
}

/// Builds both terms' rolls.
pub fn generate(rng: &mut Rng, plans: &[Plan], ids: &mut IdBook) -> Roll {
    let seat = seat();
    let spring_term = Term::spring(2021);
    let autumn_term = Term::autumn(2021);
    let mut ctx = Ctx {
        plans,
        seat,
        elsewhere: Cumulative::new(XUPU.townships.iter().enumerate().map(|(i, t)| {
            if i == seat {
                0.0
            } else {
                township_weight(t.name)
            }
        })),
        anywhere: Cumulative::new(XUPU.townships.iter().enumerate().map(|(i, t)| {
            if i == seat {
                4.0
            } else {
                township_weight(t.name)
            }
        })),
        people: Vec::with_capacity(165_000),
    };

    // ---- Spring 2021 ----
    let classes = plan_spring(rng, plans);
    let mut spring: Vec<Seat> = Vec::with_capacity(155_000);
    let mut spring_size = vec![[0u32; 15]; plans.len()];
    for class in &classes {
        spring_size[class.school as usize][class.grade.ordinal()] += u32::from(class.size);
        for _ in 0..class.size {
            let person = ctx.new_person(
                rng,
                ids,
                class.school as usize,
                class.grade,
                spring_term,
                false,
            );
            spring.push(Seat {
                person,
                school: class.school,
                grade: class.grade,
                class: class.number,
                status: StudentStatus::Enrolled,
                origin: 0,
            });
        }
    }

    // Extra members: 送教上门 (compulsory classes of town and village schools), 休学, 转出.
    let home_pool: Vec<usize> = (0..classes.len())
        .filter(|&i| {
            let p = &plans[classes[i].school as usize];
            classes[i].grade.is_compulsory() && !p.is_urban() && p.kind != Kind::Special
        })
        .collect();
    let school_pool: Vec<usize> = (0..classes.len())
        .filter(|&i| classes[i].grade.stage() != Stage::Preschool)
        .collect();
    let extras = [
        (StudentStatus::HomeTaught, SPRING_HOME_TAUGHT, &home_pool),
        (
            StudentStatus::Suspended,
            between(rng, 30, 50) as usize,
            &school_pool,
        ),
        (
            StudentStatus::TransferredOut,
            between(rng, 250, 400) as usize,
            &school_pool,
        ),
    ];
    for (status, count, pool) in extras {
        for _ in 0..count {
            let class = &classes[*pick(rng, pool)];
            let person = ctx.new_person(
                rng,
                ids,
                class.school as usize,
                class.grade,
                spring_term,
                false,
            );
            if status == StudentStatus::HomeTaught {
                ctx.make_home_taught(rng, person);
            }
            spring.push(Seat {
                person,
                school: class.school,
                grade: class.grade,
                class: class.number,
                status,
                origin: 0,
            });
        }
    }

    // ---- Autumn 2021 ----
    let routes = Routes::new(plans, &spring_size, seat);
    let mut autumn: Vec<Seat> = Vec::with_capacity(155_000);
    let mut carried_home_taught: Vec<usize> = Vec::new();
    for s in &spring {
        let Some(next) = s.grade.next() else { continue };
        let leaves = match s.status {
            StudentStatus::TransferredOut | StudentStatus::Graduated => true,
            // 送教上门 ends with compulsory education.
            StudentStatus::HomeTaught => !next.is_compulsory(),
            _ => chance(rng, SUMMER_LEAVERS),
        };
        if leaves {
            continue;
        }
        let Some(school) = autumn_school(rng, plans, &routes, seat, s.school as usize, next) else {
            continue;
        };
        let status = match s.status {
            StudentStatus::Suspended if chance(rng, 0.6) => StudentStatus::Enrolled,
            other => other,
        };
        if status == StudentStatus::HomeTaught {
            carried_home_taught.push(autumn.len());
        }
        autumn.push(Seat {
            person: s.person,
            school: school as u16,
            grade: next,
            class: 0,
            status,
            origin: (u32::from(s.school) << 16) | u32::from(s.class),
        });
    }

    // 送教上门 in autumn: carried children, some back in class, some newly found.
    shuffle(rng, &mut carried_home_taught);
    while carried_home_taught.len() > AUTUMN_HOME_TAUGHT {
        let i = carried_home_taught.pop().expect("non-empty while too many");
        autumn[i].status = StudentStatus::Enrolled;
    }
    let new_home_taught = AUTUMN_HOME_TAUGHT - carried_home_taught.len();

    // A few newly suspended students.
    let suspend = between(rng, 15, 30);
    for _ in 0..suspend {
        let i = index(rng, autumn.len());
        if autumn[i].status == StudentStatus::Enrolled
            && autumn[i].grade.stage() != Stage::Preschool
        {
            autumn[i].status = StudentStatus::Suspended;
        }
    }

    // New 小班 intake, 一年级 entrants who were in no kindergarten, and new arrivals; the
    // number of arrivals is what brings the roll to its planned total.
    let continuing = autumn.len();
    let spring_total = |grade: Grade| -> f64 {
        spring_size
            .iter()
            .map(|s| f64::from(s[grade.ordinal()]))
            .sum()
    };
    let mut intake = (spring_total(Grade::Nursery) * NURSERY_INTAKE) as usize;
    let first_graders = (spring_total(Grade::G1) * FIRST_GRADERS_FROM_HOME) as usize;
    let min_arrivals = 800 + new_home_taught;
    let mut arrivals = AUTUMN_ON_ROLL.saturating_sub(continuing + intake + first_graders);
    if arrivals < min_arrivals {
        intake = intake.saturating_sub(min_arrivals - arrivals);
        arrivals = AUTUMN_ON_ROLL.saturating_sub(continuing + intake + first_graders);
    }

    let by_spring_size = |grade: Grade| {
        Choice::new(
            plans
                .iter()
                .enumerate()
                .filter(|(_, p)| p.kind != Kind::Special)
                .map(|(s, _)| (s, f64::from(spring_size[s][grade.ordinal()])))
                .collect(),
        )
    };
    let nursery = by_spring_size(Grade::Nursery);
    let first_grade = by_spring_size(Grade::G1);
    let newcomers = std::iter::repeat_n((Grade::Nursery, &nursery), intake).chain(
        std::iter::repeat_n((Grade::G1, &first_grade), first_graders),
    );
    for (grade, choice) in newcomers {
        let school = choice
            .sample(rng)
            .expect("schools have this grade in spring");
        let person = ctx.new_person(rng, ids, school, grade, autumn_term, false);
        autumn.push(Seat {
            person,
            school: school as u16,
            grade,
            class: 0,
            status: StudentStatus::Enrolled,
            origin: u32::MAX,
        });
    }
    // Arrivals join a (school, grade) in proportion to its continuing students.
    let home_places: Vec<usize> = (0..continuing)
        .filter(|&i| {
            let p = &plans[autumn[i].school as usize];
            autumn[i].grade.is_compulsory() && !p.is_urban() && p.kind != Kind::Special
        })
        .collect();
    for n in 0..arrivals {
        let home = n < new_home_taught;
        let like = if home {
            autumn[*pick(rng, &home_places)]
        } else {
            loop {
                let s = autumn[index(rng, continuing)];
                if plans[s.school as usize].kind != Kind::Special {
                    break s;
                }
            }
        };
        let school = like.school as usize;
        let person = ctx.new_person(rng, ids, school, like.grade, autumn_term, true);
        let status = if home {
            ctx.make_home_taught(rng, person);
            StudentStatus::HomeTaught
        } else {
            StudentStatus::Enrolled
        };
        autumn.push(Seat {
            person,
            school: like.school,
            grade: like.grade,
            class: 0,
            status,
            origin: u32::MAX,
        });
    }

    // The county seat's 一年级 and 七年级 intake: placed by the allocation engine and
    // split into balanced classes (see `intake`); every other class is split below.
    let candidates: Vec<usize> = (0..autumn.len())
        .filter(|&i| {
            matches!(autumn[i].grade, Grade::G1 | Grade::G7)
                && plans[autumn[i].school as usize].township == seat
        })
        .collect();
    let intake_seats: Vec<crate::intake::IntakeSeat> = candidates
        .iter()
        .map(|&i| {
            let s = &autumn[i];
            let p = &ctx.people[s.person as usize];
            crate::intake::IntakeSeat {
                school: s.school,
                grade: s.grade,
                status: s.status,
                id: p.id.clone(),
                name: p.name.clone(),
                sex: p.sex,
            }
        })
        .collect();
    let outcome = crate::intake::run(rng, plans, seat, &intake_seats);
    for (&k, &school) in &outcome.school {
        autumn[candidates[k]].school = school;
    }
    for (&k, &class) in &outcome.class {
        autumn[candidates[k]].class = class;
    }
    form_autumn_classes(rng, plans, &mut autumn, &outcome.done);

    spring.sort_by_key(|s| (s.school, s.grade, s.class, s.person));
    autumn.sort_by_key(|s| (s.school, s.grade, s.class, s.person));
    let mut students = Vec::with_capacity(spring.len() + autumn.len());
    for (seats, term) in [(&spring, spring_term), (&autumn, autumn_term)] {
        for s in seats {
            students.push(record(&ctx, s, term));
        }
    }
    Roll {
        students,
        intake: outcome.intakes,
    }
}

fn record(ctx: &Ctx, seat: &Seat, term: Term) -> StudentRecord {
    let p = &ctx.people[seat.person as usize];
    let plan = &ctx.plans[seat.school as usize];
    let boarding = seat.status == StudentStatus::Enrolled
        && p.boarding_draw < boarding_share(plan, seat.grade);
    StudentRecord {
        school_code: plan.school.code.clone(),
        name: p.name.clone(),
        sex: p.sex,
        id_number: p.id.clone(),
        student_no: Some(format!("G{}", p.id)),
        grade: seat.grade,
        class_number: u32::from(seat.class),
        birth_date: p.birth,
        ethnicity: Some(p.ethnicity.to_string()),
        household_township: Some(XUPU.townships[p.household].name.to_string()),
        boarding,
        hardship: p.hardship,
        disability: p.disability.map(str::to_string),
        status: seat.status,
        term,
        national: Default::default(),
    }
}
