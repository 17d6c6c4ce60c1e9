//! The weekly indicators: one table, [`WEEKLY`], in output order, and the
//! index of each indicator in a [`Series`](super::Series) row, derived from
//! the table at compile time.

use super::{Better, National, Unit};
use crate::model::components::{SERVICES, Service};

/// Whether a table entry is one indicator or a family expanded at run time.
/// The table lists single indicators first, then the per-service family,
/// then the per-cohort family (checked at compile time): a row of a series
/// holds the single ones in table order, then each service's family members
/// (service by service), then each cohort's (cohort by cohort).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    One,
    /// One per service, in [`Service::ALL`] order: `<service>` in the name
    /// is the service's name, `{service}` in the label its object phrase
    /// ("a language course") and `{Service}` its adjective
    /// ("Language-course").
    PerService,
    /// One per started year of the horizon (arrival cohort `c`, weeks 52c
    /// to 52c + 51): `<c>` in the name and `{c}` in the label are the year.
    PerCohort,
}

/// One entry of the table of weekly indicators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weekly {
    /// The name in `weekly.csv`, `summary.csv` and `series.csv`; a template
    /// for a family (see [`Family`]).
    pub name: &'static str,
    /// For people (charts, tables); a template for a family.
    pub label: &'static str,
    pub unit: Unit,
    pub better: Better,
    /// How the national value is formed from the regions' (every weekly
    /// indicator has a value per region and a national one).
    pub national: National,
    pub family: Family,
    /// What it counts, for `docs/model.md` (Markdown).
    pub meaning: &'static str,
}

const fn one(
    name: &'static str,
    label: &'static str,
    unit: Unit,
    better: Better,
    national: National,
    meaning: &'static str,
) -> Weekly {
    Weekly {
        name,
        label,
        unit,
        better,
        national,
        family: Family::One,
        meaning,
    }
}

const fn per_service(
    name: &'static str,
    label: &'static str,
    unit: Unit,
    better: Better,
    national: National,
    meaning: &'static str,
) -> Weekly {
    Weekly {
        family: Family::PerService,
        ..one(name, label, unit, better, national, meaning)
    }
}

const fn per_cohort(
    name: &'static str,
    label: &'static str,
    unit: Unit,
    better: Better,
    national: National,
    meaning: &'static str,
) -> Weekly {
    Weekly {
        family: Family::PerCohort,
        ..one(name, label, unit, better, national, meaning)
    }
}

use Better::{Higher, Lower, NotJudged};
use National::{PopulationWeighted, Ratio, Sum};
use Unit::*;

/// Every weekly indicator, in output order. Adding one: an entry here, a
/// constant below naming its index (`pub const X: usize = index("x")`),
/// and its computation in the process that observes it.
pub const WEEKLY: &[Weekly] = &[
    one(
        "arrivals",
        "Arrivals",
        Persons,
        NotJudged,
        Sum,
        "Arrived this week, all channels including sponsorship and family members joining a sponsor (`reunion_arrivals`), in the region first placed. The initial backlog is not included.",
    ),
    one(
        "asylum_backlog",
        "Asylum backlog",
        Persons,
        Lower,
        Sum,
        "Awaiting a decision at the end of the week. Equal to `asylum_seekers`.",
    ),
    one(
        "decisions",
        "Asylum decisions",
        Persons,
        NotJudged,
        Sum,
        "Decided this week.",
    ),
    one(
        "recognitions",
        "Recognitions",
        Persons,
        NotJudged,
        Sum,
        "Granted status this week.",
    ),
    one(
        "asylum_seekers",
        "Asylum seekers",
        Persons,
        NotJudged,
        Sum,
        "Stock by legal status.",
    ),
    one(
        "recognised",
        "Recognised refugees",
        Persons,
        NotJudged,
        Sum,
        "Stock by legal status.",
    ),
    one(
        "rejected",
        "Rejected asylum seekers",
        Persons,
        NotJudged,
        Sum,
        "Finally refused, returnable, and still present (legal limbo).",
    ),
    one(
        "subsidiary_protection",
        "Subsidiary protection",
        Persons,
        NotJudged,
        Sum,
        "Granted subsidiary protection (at first instance or on appeal).",
    ),
    one(
        "appeals_pending",
        "Appeals pending",
        Persons,
        Lower,
        Sum,
        "Refused at first instance, appeal not yet decided.",
    ),
    one(
        "appeal_decisions",
        "Appeals decided",
        Persons,
        NotJudged,
        Sum,
        "Persons whose appeal the courts decided this week, granted or refused.",
    ),
    one(
        "tolerated",
        "Tolerated stay",
        Persons,
        NotJudged,
        Sum,
        "Finally refused and not returnable (tolerated stay).",
    ),
    one(
        "resettled",
        "Resettled refugees",
        Persons,
        NotJudged,
        Sum,
        "Resettlement and sponsorship arrivals.",
    ),
    one(
        "residents",
        "Residents",
        Persons,
        NotJudged,
        Sum,
        "Family and labour arrivals.",
    ),
    one(
        "departed",
        "Departed",
        Persons,
        NotJudged,
        Sum,
        "Cumulative, counted in the last region.",
    ),
    one(
        "removals",
        "Removals",
        Persons,
        NotJudged,
        Sum,
        "Finally refused persons removed this week (also counted in `departed`).",
    ),
    one(
        "present",
        "Present",
        Persons,
        NotJudged,
        Sum,
        "Everyone not departed.",
    ),
    one(
        "reception_capacity",
        "Reception capacity",
        Places,
        NotJudged,
        Sum,
        "Including adaptive additions.",
    ),
    one(
        "reception_occupancy",
        "Reception occupancy",
        Persons,
        NotJudged,
        Sum,
        "In reception.",
    ),
    one(
        "emergency_accommodation",
        "Emergency accommodation",
        Persons,
        Lower,
        Sum,
        "Asylum seekers in reception overflow, and recognised households in emergency accommodation (overflow, or move-on support).",
    ),
    one(
        "homeless",
        "Homeless (all statuses)",
        Persons,
        Lower,
        Sum,
        "All statuses, **including rejected persons** in limbo.",
    ),
    one(
        "homeless_refugees",
        "Homeless refugees",
        Persons,
        Lower,
        Sum,
        "Homeless persons with protection (refugee status or subsidiary protection) or resettled.",
    ),
    one(
        "mainstream_housed",
        "In mainstream housing",
        Persons,
        NotJudged,
        Sum,
        "In mainstream housing.",
    ),
    one(
        "overcrowded",
        "Overcrowded",
        Persons,
        Lower,
        Sum,
        "In overcrowded housing (a unit one size too small, or staying with others). They keep searching for a home of their size.",
    ),
    one(
        "homeless_after_move_on",
        "Homeless after the move-on period",
        Persons,
        Lower,
        Sum,
        "Homeless because, granted protection, they had no home at the end of the move-on period and no move-on support. With `homeless_after_rejection`, sums to `homeless`.",
    ),
    one(
        "homeless_after_rejection",
        "Homeless after a refusal",
        Persons,
        Lower,
        Sum,
        "Homeless because their accommodation ended after a refusal.",
    ),
    one(
        "searching_for_home",
        "Searching for a home",
        Persons,
        Lower,
        Sum,
        "In a region's housing queue at the end of the week: in reception, emergency or temporary accommodation, homeless or overcrowded.",
    ),
    one(
        "housed",
        "Moved into a home",
        Persons,
        Higher,
        Sum,
        "Moved into a home of their size this week.",
    ),
    one(
        "housing_wait_weeks",
        "Search time of this week's movers",
        Weeks,
        Lower,
        Ratio,
        "Mean weeks in the housing queue of those who moved into a home of their size this week. Empty if nobody did.",
    ),
    one(
        "vacant_units",
        "Vacant homes on offer",
        Places,
        NotJudged,
        Sum,
        "Units that came free to newcomers, were not taken, and stay on offer next week.",
    ),
    one(
        "mean_language",
        "Language skill, mean",
        Index,
        Higher,
        Ratio,
        "Mean over present **adults of every status**.",
    ),
    one(
        "mean_bonds",
        "Social bonds, mean",
        Index,
        Higher,
        Ratio,
        "Mean over present **adults of every status**.",
    ),
    one(
        "mean_bridges",
        "Social bridges, mean",
        Index,
        Higher,
        Ratio,
        "Mean over present **adults of every status**.",
    ),
    one(
        "mean_links",
        "Social links, mean",
        Index,
        Higher,
        Ratio,
        "Mean over present **adults of every status**.",
    ),
    one(
        "working_age_refugees",
        "Working-age refugees",
        Persons,
        NotJudged,
        Sum,
        "Recognised or resettled, of working age.",
    ),
    one(
        "employed_refugees",
        "Employed refugees",
        Persons,
        NotJudged,
        Sum,
        "Those of them in work.",
    ),
    one(
        "employment_rate",
        "Employment rate of refugees",
        Share,
        Higher,
        Ratio,
        "`employed_refugees / working_age_refugees`.",
    ),
    one(
        "underemployment_rate",
        "Underemployment rate",
        Share,
        Lower,
        Ratio,
        "Share of employed working-age refugees whose job tier is below their skill tier.",
    ),
    one(
        "employment_rate_3y_plus",
        "Employment rate after 3+ years",
        Share,
        Higher,
        Ratio,
        "Employment rate of working-age refugees who arrived at least 156 weeks ago. Counted from arrival, not from recognition.",
    ),
    one(
        "attitude",
        "Public attitude",
        Index,
        Higher,
        PopulationWeighted,
        "The region's index.",
    ),
    one(
        "volunteers",
        "Volunteer stock",
        Multiple,
        Higher,
        PopulationWeighted,
        "National stock of mentors and sponsors, 1 = the policy's own numbers; the same in every region (`feedback.volunteers`).",
    ),
    one(
        "jobs_low",
        "Jobs, low skill tier",
        Jobs,
        NotJudged,
        Sum,
        "After automation and shocks.",
    ),
    one(
        "jobs_mid",
        "Jobs, middle skill tier",
        Jobs,
        NotJudged,
        Sum,
        "After automation and shocks.",
    ),
    one(
        "jobs_high",
        "Jobs, high skill tier",
        Jobs,
        NotJudged,
        Sum,
        "After automation and shocks.",
    ),
    one(
        "cost_accommodation",
        "Cost of accommodation",
        CurrencyPerWeek,
        Lower,
        Sum,
        "Reception places held (occupied at the full price, empty at `empty_place_cost_share` of it) and emergency accommodation (3.12).",
    ),
    one(
        "cost_homelessness",
        "Cost of homelessness",
        CurrencyPerWeek,
        Lower,
        Sum,
        "Homeless person-weeks (3.12).",
    ),
    one(
        "cost_benefits",
        "Cost of benefits",
        CurrencyPerWeek,
        Lower,
        Sum,
        "Child benefit to households with a residence status, and basic income to households with protection: standard rates by household composition and housing costs, less counted earnings (3.12).",
    ),
    one(
        "cost_pensions",
        "Cost of pensions",
        CurrencyPerWeek,
        Lower,
        Sum,
        "Pensions from earnings points earned here, and top-ups of persons with protection to the minimum income in old age (3.12).",
    ),
    one(
        "cost_services",
        "Cost of services",
        CurrencyPerWeek,
        Lower,
        Sum,
        "Service seats held: occupied at `cost_per_place_week`, empty at `empty_place_cost_share` of it (3.12).",
    ),
    one(
        "cost_schools",
        "Cost of school places",
        CurrencyPerWeek,
        Lower,
        Sum,
        "School places held for newcomers' children: occupied at the cost per pupil-year ÷ 52, empty at `empty_place_cost_share` of it (3.12).",
    ),
    one(
        "cost_asylum",
        "Cost of asylum decisions",
        CurrencyPerWeek,
        Lower,
        Sum,
        "First-instance decisions, per person decided (3.12).",
    ),
    one(
        "cost_programmes",
        "Cost of programmes",
        CurrencyPerWeek,
        Lower,
        Sum,
        "Mentoring pairs, sponsored persons, fast-track cases and the programmes' fixed yearly costs (3.12).",
    ),
    one(
        "cost_capacity_setup",
        "Cost of setting up capacity",
        CurrencyPerWeek,
        Lower,
        Sum,
        "One-off cost of places ordered by adaptive capacities this week (3.12).",
    ),
    one(
        "cost",
        "Cost",
        CurrencyPerWeek,
        Lower,
        Sum,
        "The sum of the `cost_*` categories above. Undiscounted (3.12).",
    ),
    one(
        "earnings",
        "Earnings",
        CurrencyPerWeek,
        Higher,
        Sum,
        "Gross earnings of newcomers in work (every status), by job tier and years in work, less the scars of long spells of seeking work (3.12).",
    ),
    one(
        "contributions",
        "Contributions",
        CurrencyPerWeek,
        Higher,
        Sum,
        "Income tax and the employee's and employer's social contributions on `earnings`. Undiscounted (3.12).",
    ),
    one(
        "balance",
        "Fiscal balance",
        CurrencyPerWeek,
        Higher,
        Sum,
        "`contributions - cost`, undiscounted (3.12).",
    ),
    one(
        "cumulative_discounted_balance",
        "Cumulative discounted fiscal balance",
        Currency,
        Higher,
        Sum,
        "Discounted to week 0 and summed to date (3.12).",
    ),
    one(
        "births",
        "Births",
        Persons,
        NotJudged,
        Sum,
        "Born this week to a household present (3.3b).",
    ),
    one(
        "deaths",
        "Deaths",
        Persons,
        NotJudged,
        Sum,
        "Died this week (3.3c).",
    ),
    one(
        "deceased",
        "Deceased",
        Persons,
        NotJudged,
        Sum,
        "Cumulative, counted in the region where they lived.",
    ),
    one(
        "children",
        "Children",
        Persons,
        NotJudged,
        Sum,
        "Present, under `demography.adult_age`, every status.",
    ),
    one(
        "retired",
        "Past working age",
        Persons,
        NotJudged,
        Sum,
        "Present adults not of working age: those at or past `demography.retirement_age` (and adults below `demography.working_age_from` where it is above `adult_age`).",
    ),
    one(
        "households",
        "Households",
        Households,
        NotJudged,
        Sum,
        "Households present.",
    ),
    one(
        "households_on_benefits",
        "Households on basic income",
        Households,
        Lower,
        Sum,
        "Households with protection whose counted earnings fall short of their needs (3.12).",
    ),
    one(
        "households_formed",
        "Households formed",
        Households,
        NotJudged,
        Sum,
        "Formed this week by adult sons and daughters leaving home (3.3d).",
    ),
    one(
        "overcrowded_households",
        "Overcrowded households",
        Households,
        Lower,
        Sum,
        "Households in overcrowded housing, for whatever reason.",
    ),
    one(
        "households_needing_larger_home",
        "Households needing a larger home",
        Households,
        Lower,
        Sum,
        "Households overcrowded in a home too small for them: outgrown through a birth or a family joining them, or one size too small taken after a long search (households staying with others are not counted).",
    ),
    one(
        "school_waiting",
        "Children waiting for a school place",
        Persons,
        Lower,
        Sum,
        "On a primary or secondary school's waiting list at the end of the week (3.8a).",
    ),
    one(
        "school_started",
        "Children starting school",
        Persons,
        NotJudged,
        Sum,
        "Took a school place this week.",
    ),
    one(
        "school_mean_wait_weeks",
        "School-place wait of this week's starters",
        Weeks,
        Lower,
        Ratio,
        "Mean weeks waited by the children who took a school place this week. Empty if none did.",
    ),
    one(
        "primary_pupils",
        "Primary school places occupied",
        Persons,
        NotJudged,
        Sum,
        "Newcomers' children in primary school places.",
    ),
    one(
        "secondary_pupils",
        "Secondary school places occupied",
        Persons,
        NotJudged,
        Sum,
        "Newcomers' children in secondary school places.",
    ),
    one(
        "primary_places",
        "Primary school places",
        Places,
        NotJudged,
        Sum,
        "`regions[].schools.primary_places`; utilisation is `primary_pupils / primary_places`.",
    ),
    one(
        "secondary_places",
        "Secondary school places",
        Places,
        NotJudged,
        Sum,
        "`regions[].schools.secondary_places`.",
    ),
    one(
        "reunion_applications",
        "Family reunion applications",
        Persons,
        NotJudged,
        Sum,
        "Family members applied for this week (3.3a).",
    ),
    one(
        "reunion_arrivals",
        "Family reunion arrivals",
        Persons,
        NotJudged,
        Sum,
        "Family members who joined a sponsor this week; they are also in `arrivals`.",
    ),
    one(
        "reunion_backlog",
        "Family reunion backlog",
        Persons,
        Lower,
        Sum,
        "Family members applied for and not yet arrived (processing, or waiting under the cap), in the sponsor's region at application.",
    ),
    one(
        "second_generation_working_age",
        "Second generation of working age",
        Persons,
        NotJudged,
        Sum,
        "Present, of working age, who came of age here, every status.",
    ),
    one(
        "second_generation_employment_rate",
        "Employment rate of the second generation",
        Share,
        Higher,
        Ratio,
        "Employed among `second_generation_working_age`.",
    ),
    per_service(
        "<service>_waiting",
        "Waiting for {service}",
        Persons,
        Lower,
        Sum,
        "On the waiting list at the end of the week.",
    ),
    per_service(
        "<service>_in_service",
        "In {service}",
        Persons,
        NotJudged,
        Sum,
        "Being served.",
    ),
    per_service(
        "<service>_started",
        "Started {service} this week",
        Persons,
        NotJudged,
        Sum,
        "Started this week.",
    ),
    per_service(
        "<service>_mean_wait_weeks",
        "{Service} wait of this week's starters",
        Weeks,
        Lower,
        Ratio,
        "Mean wait of those who started this week. Empty if nobody started.",
    ),
    per_service(
        "<service>_seats",
        "{Service} places",
        Places,
        NotJudged,
        Sum,
        "Places, after any adaptive growth; utilisation is `in_service / seats`.",
    ),
    per_cohort(
        "employment_rate_cohort_<c>",
        "Employment rate, arrival year {c}",
        Share,
        Higher,
        Ratio,
        "Employment rate of working-age refugees who arrived in year *c* of the run (weeks 52*c* to 52*c* + 51). There is one for each started year of the horizon. The initial backlog belongs to cohort 0.",
    ),
];

// The index of each single indicator in a series row, and of each family
// member within its family. A name not in the table fails to compile.
pub const ARRIVALS: usize = index("arrivals");
pub const ASYLUM_BACKLOG: usize = index("asylum_backlog");
pub const DECISIONS: usize = index("decisions");
pub const RECOGNITIONS: usize = index("recognitions");
pub const ASYLUM_SEEKERS: usize = index("asylum_seekers");
pub const RECOGNISED: usize = index("recognised");
pub const REJECTED: usize = index("rejected");
pub const SUBSIDIARY: usize = index("subsidiary_protection");
pub const APPEALING: usize = index("appeals_pending");
pub const APPEAL_DECISIONS: usize = index("appeal_decisions");
pub const TOLERATED: usize = index("tolerated");
pub const REMOVALS: usize = index("removals");
pub const RESETTLED: usize = index("resettled");
pub const RESIDENTS: usize = index("residents");
pub const DEPARTED: usize = index("departed");
pub const PRESENT: usize = index("present");
pub const RECEPTION_CAPACITY: usize = index("reception_capacity");
pub const RECEPTION_OCCUPANCY: usize = index("reception_occupancy");
pub const EMERGENCY: usize = index("emergency_accommodation");
pub const HOMELESS: usize = index("homeless");
pub const HOMELESS_REFUGEES: usize = index("homeless_refugees");
pub const MAINSTREAM: usize = index("mainstream_housed");
pub const OVERCROWDED: usize = index("overcrowded");
pub const HOMELESS_AFTER_MOVE_ON: usize = index("homeless_after_move_on");
pub const HOMELESS_AFTER_REJECTION: usize = index("homeless_after_rejection");
pub const SEARCHING_FOR_HOME: usize = index("searching_for_home");
pub const HOUSED: usize = index("housed");
pub const HOUSING_WAIT_WEEKS: usize = index("housing_wait_weeks");
pub const VACANT_UNITS: usize = index("vacant_units");
pub const MEAN_LANGUAGE: usize = index("mean_language");
pub const MEAN_BONDS: usize = index("mean_bonds");
pub const MEAN_BRIDGES: usize = index("mean_bridges");
pub const MEAN_LINKS: usize = index("mean_links");
pub const WORKING_AGE_REFUGEES: usize = index("working_age_refugees");
pub const EMPLOYED_REFUGEES: usize = index("employed_refugees");
pub const EMPLOYMENT_RATE: usize = index("employment_rate");
pub const UNDEREMPLOYMENT_RATE: usize = index("underemployment_rate");
pub const EMPLOYMENT_RATE_3Y: usize = index("employment_rate_3y_plus");
pub const ATTITUDE: usize = index("attitude");
pub const VOLUNTEERS: usize = index("volunteers");
/// Jobs by tier: `JOBS + tier`.
pub const JOBS: usize = index("jobs_low");
pub const COST_ACCOMMODATION: usize = index("cost_accommodation");
pub const COST_HOMELESSNESS: usize = index("cost_homelessness");
pub const COST_BENEFITS: usize = index("cost_benefits");
pub const COST_PENSIONS: usize = index("cost_pensions");
pub const COST_SERVICES: usize = index("cost_services");
pub const COST_SCHOOLS: usize = index("cost_schools");
pub const COST_ASYLUM: usize = index("cost_asylum");
pub const COST_PROGRAMMES: usize = index("cost_programmes");
pub const COST_CAPACITY_SETUP: usize = index("cost_capacity_setup");
pub const COST: usize = index("cost");
/// The categories whose sum is `cost`, in the order they are added.
pub const COST_CATEGORIES: [usize; 9] = [
    COST_ACCOMMODATION,
    COST_HOMELESSNESS,
    COST_BENEFITS,
    COST_PENSIONS,
    COST_SERVICES,
    COST_SCHOOLS,
    COST_ASYLUM,
    COST_PROGRAMMES,
    COST_CAPACITY_SETUP,
];
pub const EARNINGS: usize = index("earnings");
pub const CONTRIBUTIONS: usize = index("contributions");
pub const BALANCE: usize = index("balance");
pub const CUMULATIVE_DISCOUNTED_BALANCE: usize = index("cumulative_discounted_balance");
pub const BIRTHS: usize = index("births");
pub const DEATHS: usize = index("deaths");
pub const DECEASED: usize = index("deceased");
pub const CHILDREN: usize = index("children");
pub const RETIRED: usize = index("retired");
pub const HOUSEHOLDS: usize = index("households");
pub const HOUSEHOLDS_ON_BENEFITS: usize = index("households_on_benefits");
pub const HOUSEHOLDS_FORMED: usize = index("households_formed");
pub const OVERCROWDED_HOUSEHOLDS: usize = index("overcrowded_households");
pub const NEEDING_LARGER_HOME: usize = index("households_needing_larger_home");
pub const SCHOOL_WAITING: usize = index("school_waiting");
pub const SCHOOL_STARTED: usize = index("school_started");
pub const SCHOOL_MEAN_WAIT_WEEKS: usize = index("school_mean_wait_weeks");
/// Pupils by level: `PUPILS + level` (primary 0, secondary 1).
pub const PUPILS: usize = index("primary_pupils");
/// School places by level: `SCHOOL_PLACES + level`.
pub const SCHOOL_PLACES: usize = index("primary_places");
pub const REUNION_APPLICATIONS: usize = index("reunion_applications");
pub const REUNION_ARRIVALS: usize = index("reunion_arrivals");
pub const REUNION_BACKLOG: usize = index("reunion_backlog");
pub const SECOND_GENERATION_WORKING_AGE: usize = index("second_generation_working_age");
pub const SECOND_GENERATION_EMPLOYMENT_RATE: usize = index("second_generation_employment_rate");

/// Fields of [`service_indicator`].
pub const WAITING: usize = index("<service>_waiting");
pub const IN_SERVICE: usize = index("<service>_in_service");
pub const STARTED: usize = index("<service>_started");
pub const MEAN_WAIT_WEEKS: usize = index("<service>_mean_wait_weeks");
pub const SEATS: usize = index("<service>_seats");

/// Fields of [`cohort_indicator`].
pub const COHORT_EMPLOYMENT_RATE: usize = index("employment_rate_cohort_<c>");

const _: () = {
    assert!(index("jobs_mid") == JOBS + 1 && index("jobs_high") == JOBS + 2);
    assert!(index("secondary_pupils") == PUPILS + 1);
    assert!(index("secondary_places") == SCHOOL_PLACES + 1);
    assert!(crate::scenario::TIERS == 3);
};

/// Single indicators: the first `SERVICE_BASE` of a row.
pub const SERVICE_BASE: usize = count(Family::One);
/// Indicators per service.
pub const SERVICE_FIELDS: usize = count(Family::PerService);
pub const COHORT_BASE: usize = SERVICE_BASE + SERVICES * SERVICE_FIELDS;
/// Indicators per arrival cohort.
pub const COHORT_FIELDS: usize = count(Family::PerCohort);

/// The index of field `field` (e.g. [`WAITING`]) of service `s`.
#[inline]
pub fn service_indicator(s: Service, field: usize) -> usize {
    SERVICE_BASE + s as usize * SERVICE_FIELDS + field
}

/// The index of field `field` (e.g. [`COHORT_EMPLOYMENT_RATE`]) of arrival
/// cohort `cohort`.
#[inline]
pub fn cohort_indicator(cohort: usize, field: usize) -> usize {
    COHORT_BASE + cohort * COHORT_FIELDS + field
}

/// Yearly arrival cohorts over a horizon.
pub fn cohorts(horizon_weeks: u32) -> usize {
    horizon_weeks.div_ceil(52) as usize
}

pub(super) const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The index of a table entry: its place in a row for a single indicator,
/// its place within the family for a family member. Panics (at compile
/// time, in a constant) if the name is not in the table.
pub const fn index(name: &str) -> usize {
    let mut i = 0;
    let mut within = 0;
    while i < WEEKLY.len() {
        if same(WEEKLY[i].name, name) {
            return within;
        }
        within += 1;
        if i + 1 < WEEKLY.len() && WEEKLY[i + 1].family as u8 != WEEKLY[i].family as u8 {
            within = 0;
        }
        i += 1;
    }
    panic!("not in the table of weekly indicators")
}

/// A single weekly indicator's name written in code, checked: panics (at
/// compile time, in a constant) if the table has no entry of that name.
pub const fn checked(name: &'static str) -> &'static str {
    let mut i = 0;
    while i < WEEKLY.len() {
        if same(WEEKLY[i].name, name) && WEEKLY[i].family as u8 == Family::One as u8 {
            return WEEKLY[i].name;
        }
        i += 1;
    }
    panic!("not a single indicator in the table of weekly indicators")
}

const fn count(family: Family) -> usize {
    let mut i = 0;
    let mut n = 0;
    while i < WEEKLY.len() {
        n += (WEEKLY[i].family as u8 == family as u8) as usize;
        i += 1;
    }
    n
}

// Singles, then per service, then per cohort: the layout the indices assume.
const _: () = {
    let mut i = 1;
    while i < WEEKLY.len() {
        assert!(WEEKLY[i - 1].family as u8 <= WEEKLY[i].family as u8);
        i += 1;
    }
};

/// How many weekly indicators a horizon has (a series row's length).
pub fn count_for(horizon_weeks: u32) -> usize {
    COHORT_BASE + cohorts(horizon_weeks) * COHORT_FIELDS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn family_templates_name_their_member() {
        for w in WEEKLY {
            let (name, label) = match w.family {
                Family::One => (false, false),
                Family::PerService => (
                    w.name.contains("<service>"),
                    w.label.contains("{service}") || w.label.contains("{Service}"),
                ),
                Family::PerCohort => (w.name.contains("<c>"), w.label.contains("{c}")),
            };
            assert_eq!(name, w.family != Family::One, "{}", w.name);
            assert_eq!(label, w.family != Family::One, "{}", w.label);
        }
    }
}
