//! 年度报告: the annual summary's figures, every one computed from records by a named
//! indicator of the catalog.

use crate::{AppError, Result};
use emis_domain::class_size::{count_large_classes, ClassSizeRules};
use emis_domain::indicators::{self, IndicatorSet, Value};
use emis_domain::term::Term;
use emis_storage::{indicators as facts, Db};

/// The roll's count and the kindergarten places of the year's latest term with data.
async fn roll_facts(
    db: &Db,
    county: &str,
    year: i32,
) -> Result<(i64, emis_domain::registry::PreschoolPlaces)> {
    let terms = facts::terms_with_data(db, county, year).await?;
    let Some(term) = terms.last() else {
        return Ok((0, Default::default()));
    };
    // 普及普惠: the same term's kindergarten children by their school's 办学性质.
    let (enrolled, places) = tokio::try_join!(
        facts::students_on_roll(db, county, term),
        facts::preschool_places(db, county, term)
    )?;
    Ok((enrolled, places))
}

/// The classes of the year's two terms, with their season.
async fn classes_of_year(
    db: &Db,
    county: &str,
    year: i32,
) -> Result<[(Vec<emis_domain::class_size::ClassFact>, &'static str); 2]> {
    let [spring, autumn] = Term::of_year(year).map(Term::code);
    let (spring, autumn) = tokio::try_join!(
        facts::class_facts(db, county, &spring),
        facts::class_facts(db, county, &autumn)
    )?;
    Ok([(spring, "spring"), (autumn, "autumn")])
}

/// 控辍保学: the year's latest population snapshot and the cases' outcomes, and the
/// 送教上门 children of each term.
async fn dropout_facts(db: &Db, county: &str, year: i32) -> Result<((i64, i64, i64), i64, i64)> {
    let counts = match emis_storage::dropout::latest_snapshot_of_year(db, county, year).await? {
        Some(snapshot) => facts::dropout_counts(db, county, snapshot.id).await?,
        None => (0, 0, 0),
    };
    let [spring, autumn] = Term::of_year(year).map(Term::code);
    let (spring, autumn) = tokio::try_join!(
        emis_storage::dropout::home_taught_count(db, county, &spring),
        emis_storage::dropout::home_taught_count(db, county, &autumn)
    )?;
    Ok((counts, spring, autumn))
}

fn push_classes(
    set: &mut IndicatorSet,
    classes: [(Vec<emis_domain::class_size::ClassFact>, &'static str); 2],
) {
    let rules = ClassSizeRules::default();
    for (classes, season) in classes {
        let counts = count_large_classes(&rules, &classes);
        let code = |family: &str| -> &'static str {
            indicators::find(&format!("classes.{family}.{season}"))
                .map(|i| i.code)
                .unwrap_or("")
        };
        set.push(
            code("large.compulsory"),
            Value::Count(counts.compulsory_large as i64),
        );
        set.push(
            code("oversize.compulsory"),
            Value::Count(counts.compulsory_oversize as i64),
        );
        set.push(
            code("large.senior"),
            Value::Count(counts.senior_large as i64),
        );
        set.push(
            code("oversize.senior"),
            Value::Count(counts.senior_oversize as i64),
        );
    }
}

fn push_dropout(set: &mut IndicatorSet, dropout: ((i64, i64, i64), i64, i64)) {
    let ((suspected, probable, unresolved), spring, autumn) = dropout;
    set.push("dropout.suspected", Value::Count(suspected));
    set.push("dropout.probable", Value::Count(probable));
    set.push("dropout.unresolved", Value::Count(unresolved));
    set.push("dropout.home_teaching.spring", Value::Count(spring));
    set.push("dropout.home_teaching.autumn", Value::Count(autumn));
}

fn in_catalog_order(set: &mut IndicatorSet) {
    set.values
        .sort_by_key(|(code, _)| indicators::CATALOG.iter().position(|i| i.code == *code));
}

/// Computes every indicator this build provides for a county and year.
///
/// The modules' queries are independent, so they run at once: on SQLite each pooled
/// connection works on its own thread, on PostgreSQL each on the server; the figures are
/// those the same queries give one after another.
pub async fn annual_indicators(db: &Db, county: &str, year: i32) -> Result<IndicatorSet> {
    type Pairs = Vec<(&'static str, Value)>;
    let modules = async {
        let (safety, aid, teachers, double_reduction): (Pairs, Pairs, Pairs, Pairs) = tokio::try_join!(
            crate::safety::indicators(db, county, year),
            crate::aid::indicators(db, county, year),
            crate::teachers::indicators(db, county, year),
            crate::double_reduction::indicators(db, county, year),
        )?;
        let (projects, honours, incidents, vocational, party): (Pairs, Pairs, Pairs, Pairs, Pairs) =
            tokio::try_join!(
                crate::projects::indicators(db, county, year),
                crate::honours::indicators(db, county, year),
                crate::incidents::indicators(db, county, year),
                crate::vocational::indicators(db, county, year),
                crate::party::indicators(db, county, year),
            )?;
        Ok::<_, AppError>([
            safety,
            aid,
            teachers,
            double_reduction,
            projects,
            honours,
            incidents,
            vocational,
            party,
        ])
    };
    let (roll, classes, dropout, modules, forms) = tokio::try_join!(
        roll_facts(db, county, year),
        classes_of_year(db, county, year),
        dropout_facts(db, county, year),
        modules,
        crate::forms::indicators(db, county, year)
    )?;

    let mut set = IndicatorSet::default();
    let (enrolled, places) = roll;
    set.push("students.enrolled", Value::Count(enrolled));
    let no_figure = Value::rate_or_none;
    set.push("preschool.public_share", no_figure(places.public_share()));
    set.push(
        "preschool.inclusive_share",
        no_figure(places.inclusive_share()),
    );
    push_classes(&mut set, classes);
    let [safety, aid, teachers, double_reduction, projects, honours, incidents, vocational, party] =
        modules;
    // The catalog's order of modules, as the report has always pushed them.
    for (code, value) in safety {
        set.push(code, value);
    }
    push_dropout(&mut set, dropout);
    for pairs in [
        aid,
        teachers,
        double_reduction,
        projects,
        honours,
        incidents,
        vocational,
        party,
    ] {
        for (code, value) in pairs {
            set.push(code, value);
        }
    }
    in_catalog_order(&mut set);
    set.forms = forms;
    Ok(set)
}

/// The main indicators of a county and year, as a region's roll-up reads them (学籍, 大班额,
/// 控辍保学, 资助, 安全隐患): the same computations as [`annual_indicators`], without the
/// modules the roll-up does not show.
pub async fn main_indicators(db: &Db, county: &str, year: i32) -> Result<IndicatorSet> {
    let (enrolled, classes, dropout, hazards, aid) = tokio::try_join!(
        students_enrolled(db, county, year),
        classes_of_year(db, county, year),
        dropout_facts(db, county, year),
        crate::safety::hazard_indicators(db, county, year),
        crate::aid::payment_indicators(db, county, year),
    )?;
    let mut set = IndicatorSet::default();
    set.push("students.enrolled", Value::Count(enrolled));
    push_classes(&mut set, classes);
    for (code, value) in hazards.into_iter().chain(aid) {
        set.push(code, value);
    }
    push_dropout(&mut set, dropout);
    in_catalog_order(&mut set);
    Ok(set)
}

/// `students.enrolled` of a year as [`roll_facts`] counts it, without the preschool places.
async fn students_enrolled(db: &Db, county: &str, year: i32) -> Result<i64> {
    let terms = facts::terms_with_data(db, county, year).await?;
    match terms.last() {
        Some(term) => Ok(facts::students_on_roll(db, county, term).await?),
        None => Ok(0),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    /// The indicator values (CONTRACTS.md).
    Json,
    /// The 年度工作总结 as markdown, with its 口径 appendix.
    Markdown,
    /// The 年度工作总结 as a standalone html file, every figure a link to its records.
    Html,
    /// The 年度工作总结 as .docx in the official layout.
    Docx,
}

impl ReportFormat {
    pub fn parse(raw: &str) -> Option<ReportFormat> {
        match raw {
            "json" => Some(ReportFormat::Json),
            "md" | "markdown" => Some(ReportFormat::Markdown),
            "html" => Some(ReportFormat::Html),
            "docx" => Some(ReportFormat::Docx),
            _ => None,
        }
    }

    /// Whether the output is binary (not for a terminal).
    pub fn binary(self) -> bool {
        self == ReportFormat::Docx
    }
}

/// The annual report in the requested format: the indicators as JSON, or the summary
/// document dated `date` (the drafted template of the year, else the default).
pub async fn annual_report(
    db: &Db,
    county: &str,
    year: i32,
    format: ReportFormat,
    date: chrono::NaiveDate,
) -> Result<Vec<u8>> {
    use emis_domain::summary as doc;
    if format == ReportFormat::Json {
        let set = annual_indicators(db, county, year).await?;
        return Ok(set.to_json(year, county).into_bytes());
    }
    let rendered = crate::summary::document(db, county, year, date).await?;
    Ok(match format {
        ReportFormat::Json | ReportFormat::Markdown => doc::to_markdown(&rendered).into_bytes(),
        ReportFormat::Html => doc::to_html_document(&rendered, true).into_bytes(),
        ReportFormat::Docx => emis_io::write_docx(&rendered)
            .map_err(|e| AppError::Refused(format!("无法生成 docx：{e}")))?,
    })
}
