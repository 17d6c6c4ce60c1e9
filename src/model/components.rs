//! Components: the state of households and persons. Status is kept in enum
//! fields rather than marker components, so changing it never moves an
//! entity between archetypes (a marker move costs ~150 ns, a field write ~1 ns).

use bevy_ecs::prelude::*;

/// Legal status of a household and its members (decisions are per household).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum LegalStatus {
    /// Awaiting an asylum decision.
    AsylumSeeker,
    /// Granted refugee status.
    Recognised,
    /// Finally refused and returnable, still present (legal limbo, seed 000).
    Rejected,
    /// Arrived through resettlement or community sponsorship, with status.
    Resettled,
    /// Arrived through family or labour channels with a residence permit.
    Resident,
    /// Left the country.
    Departed,
    /// Granted subsidiary protection.
    Subsidiary,
    /// Refused at first instance, appeal pending.
    Appealing,
    /// Finally refused but not returnable: tolerated stay (M13).
    Tolerated,
}

/// Number of [`LegalStatus`] values.
pub const LEGAL_STATUSES: usize = 9;

impl LegalStatus {
    /// Persons with protection (refugee status or subsidiary protection)
    /// and resettled persons: the population whose integration the headline
    /// indicators follow.
    pub fn is_refugee(self) -> bool {
        // A bit test rather than a match: it is asked of every person every
        // week, and a branch on it is mispredicted as often as statuses mix.
        const REFUGEE: u16 = 1 << LegalStatus::Recognised as u16
            | 1 << LegalStatus::Resettled as u16
            | 1 << LegalStatus::Subsidiary as u16;
        REFUGEE >> self as u16 & 1 != 0
    }
    /// Legally resident with access to services and work.
    pub fn has_status(self) -> bool {
        const WITH_STATUS: u16 = 1 << LegalStatus::Recognised as u16
            | 1 << LegalStatus::Resettled as u16
            | 1 << LegalStatus::Resident as u16
            | 1 << LegalStatus::Subsidiary as u16;
        WITH_STATUS >> self as u16 & 1 != 0
    }
    /// Awaiting a final decision: a first decision or an appeal.
    pub fn awaiting_decision(self) -> bool {
        matches!(self, LegalStatus::AsylumSeeker | LegalStatus::Appealing)
    }
    /// Granted protection: refugee status or subsidiary protection.
    pub fn protected(self) -> bool {
        matches!(self, LegalStatus::Recognised | LegalStatus::Subsidiary)
    }
    /// Finally refused and still present.
    pub fn finally_refused(self) -> bool {
        matches!(self, LegalStatus::Rejected | LegalStatus::Tolerated)
    }
}

/// Where a household lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum HousingStatus {
    /// Reception (initial asylum accommodation).
    Reception,
    /// Emergency or temporary accommodation (reception overflow, or move-on support).
    Emergency,
    /// Mainstream housing of a fitting size.
    Mainstream,
    /// Mainstream housing too small, or staying with others.
    Overcrowded,
    Homeless,
    /// Departed households live nowhere here.
    Gone,
}

/// Arrival channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Channel {
    Asylum,
    Resettlement,
    Family,
    Labour,
    Sponsorship,
}

/// Skill tier of a person, or of a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Tier {
    Low = 0,
    Mid = 1,
    High = 2,
}

impl Tier {
    pub const ALL: [Tier; 3] = [Tier::Low, Tier::Mid, Tier::High];
    pub fn index(self) -> usize {
        self as usize
    }
    pub fn from_index(i: usize) -> Tier {
        Tier::ALL[i]
    }
}

/// Marks "not yet" in week fields.
pub const NEVER: u16 = u16::MAX;

/// A household: housing, region and legal status belong to it. Every
/// household and person is simulated at every scale; the members of one
/// household in `scale` are agents ([`super::sampling`]).
#[derive(Component, Debug, Clone)]
#[require(super::tenancy::Tenancy)]
pub struct Household {
    /// Members (persons).
    pub size: u8,
    pub origin: u8,
    pub channel: Channel,
    /// Region index; `u16::MAX` until dispersed.
    pub region: u16,
    pub legal: LegalStatus,
    pub housing: HousingStatus,
    pub arrival_week: u16,
    /// Week of the asylum decision (or of arrival for those with status).
    pub status_week: u16,
    /// Week the household joined the housing queue; `NEVER` if not queued.
    pub housing_queue_since: u16,
    /// Community-sponsored.
    pub sponsored: bool,
    /// Members in work (kept by the labour market for agents' households;
    /// set at arrival for the others).
    pub employed: u8,
    /// Its members are agents: in the sample ([`super::sampling`]).
    pub agents: bool,
    /// Where the members start in the [`Roster`](super::resources::Roster):
    /// they are `size` consecutive entries from here.
    pub members: u32,
    /// Members of the household in a school place (kept by schools; read
    /// by its adults' bridges).
    pub pupils: u8,
    /// The household's slot ([`super::resources::Slots`]).
    pub slot: u32,
    /// The size class of the home the household outgrew (by a birth or a
    /// family reunion), or [`NO_CLASS`]: a household that needs a larger
    /// home ([`Household::needs_larger_home`]).
    pub outgrown: u8,
}

/// No size class: see [`Household::outgrown`].
pub const NO_CLASS: u8 = u8::MAX;

impl Household {
    /// The household has grown out of its home and is overcrowded in it
    /// until it finds a larger one (moving on may read this).
    pub fn needs_larger_home(&self) -> bool {
        self.outgrown != NO_CLASS
    }
}

/// A person's traits. `adult` and `working_age` are the life stage of
/// their [`Age`], set by ageing (the only process that changes an age) and
/// kept here because the weekly passes read them for everyone; skill is
/// drawn at arrival, and for those who grow up here when they come of age.
#[derive(Component, Debug, Clone)]
pub struct Person {
    pub household: Entity,
    pub adult: bool,
    pub working_age: bool,
    pub skill: Tier,
    pub literate: bool,
    pub origin: u8,
    pub arrival_week: u16,
    /// Offered intensive coaching if the policy covers them (drawn once at
    /// arrival from a uniform number, so that every policy sees the same draw).
    pub coaching_draw: f32,
    /// An agent: a member of a household in the sample ([`super::sampling`];
    /// everyone at scale 1). Everyone takes places in the services; only
    /// agents grow in bonds, bridges and links, work, and are counted in
    /// the indicators of persons, each standing for `scale` persons.
    pub agent: bool,
    /// For a person who is not an agent: a uniform number drawn at arrival;
    /// they count as in work, where the services ask, while it is below the
    /// agents' employment rate in their stratum (origin group, years since
    /// status).
    pub work_draw: f32,
}

/// A person who is not an agent ([`Person::agent`]), in tables of their
/// own, so that the processes of agents alone (integration, the labour
/// market) pass over them; see [`super::not_agents`].
#[derive(Component, Debug, Clone, Copy)]
pub struct NotAgent {
    /// Their language has been grown up to this week (exclusive).
    pub grown_to: u16,
    /// Bit `i`: the week they will take service `i` up is drawn and in the
    /// services' calendar.
    pub scheduled: u8,
}

/// A person's age in completed years: drawn at arrival, 0 at birth, one
/// more in week 0 of each year of the run (ageing).
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Age {
    pub years: u8,
}

/// A person's place in their household.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Role {
    /// The head of the household (a single adult, or one of a couple).
    Head,
    /// The head's partner: the mother of the couple's children.
    Partner,
    /// The one adult of a single-parent household: the mother.
    LoneParent,
    /// A son or daughter of the head (of any age).
    Child,
    /// Another adult relative (an extended household).
    Relative,
}

impl Role {
    /// Children are born to partners and lone parents.
    pub fn may_bear_children(self) -> bool {
        matches!(self, Role::Partner | Role::LoneParent)
    }
}

/// Marks a household with a family abroad that has not yet applied for
/// reunion: only they are visited by the weekly pass of family reunion.
/// Removed at application.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct Abroad;

/// A school level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[repr(u8)]
pub enum SchoolLevel {
    #[default]
    None = 0,
    Primary = 1,
    Secondary = 2,
}

/// Where a person stands with school.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[repr(u8)]
pub enum SchoolPhase {
    #[default]
    Out,
    /// On the waiting list of `level` in `region` since `week`.
    Waiting,
    /// In a place of `level` in `region` since `week`.
    Enrolled,
}

/// School and childhood: what the age calls for (set by ageing), the place
/// held or waited for (kept by schools), and the record of a childhood here
/// that a young adult takes into the labour market.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct Schooling {
    /// The level the person's age calls for.
    pub due: SchoolLevel,
    pub phase: SchoolPhase,
    /// The level waited for or attended.
    pub level: SchoolLevel,
    pub region: u16,
    /// Week joined the list (`Waiting`) or took the place (`Enrolled`).
    pub week: u16,
    /// Weeks of school here before the current place.
    pub weeks_done: u16,
    /// While their household seeks asylum, the first week the child may
    /// take a school place ([`NEVER`] if the policy keeps schools closed to
    /// asylum seekers' children); set at arrival.
    pub asylum_access_week: u16,
    /// Years of childhood spent here (counted in week 0 of each year), and
    /// those in which someone in the household was in work.
    pub years_here: u8,
    pub years_parents_worked: u8,
}

impl Schooling {
    /// Weeks of school here up to `week`, the current place included.
    pub fn weeks_in_school(&self, week: u32) -> u32 {
        let current = if self.phase == SchoolPhase::Enrolled {
            week.saturating_sub(u32::from(self.week))
        } else {
            0
        };
        u32::from(self.weeks_done) + current
    }
}

/// Where a household stands with family reunion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[repr(u8)]
pub enum ReunionPhase {
    /// No family abroad (or reunited).
    #[default]
    None,
    /// Family abroad, not yet applied (not yet eligible).
    Abroad,
    /// Applied in `week`; a visa is being processed or waits for the cap.
    Applied,
    /// The family has arrived.
    Reunited,
}

/// A household's family abroad: spouse and children who may join it.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct Reunion {
    pub phase: ReunionPhase,
    /// Members abroad: a spouse and `members − 1` children.
    pub members: u8,
    /// Week of application.
    pub week: u16,
}

/// The person's copy of their household's residence, refreshed each week
/// after the household processes, so person processes need no lookup.
#[derive(Component, Debug, Clone, Copy)]
pub struct Residence {
    pub region: u16,
    pub legal: LegalStatus,
    pub housing: HousingStatus,
    pub sponsored: bool,
    /// Week legal status was obtained (decision or arrival with status).
    pub status_week: u16,
    /// A member of the household is in a school place.
    pub family_at_school: bool,
    /// The household's slot ([`Household::slot`]).
    pub slot: u32,
}

/// Integration progress, each on a 0–1 scale.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct Progress {
    pub language: f32,
    /// Connections with people like them (seed 003).
    pub bonds: f32,
    /// Connections with the host community.
    pub bridges: f32,
    /// Connections with institutions.
    pub links: f32,
    /// Untreated trauma or health needs.
    pub vulnerable: bool,
    /// In a school place (kept by schools, read here so that integration
    /// needs no other component).
    pub at_school: bool,
}

/// Work: the job held and what helps to find one.
#[derive(Component, Debug, Clone, Copy)]
pub struct Work {
    pub job: Option<Tier>,
    /// Foreign credentials recognised (needed for high-tier jobs).
    pub credential_recognised: bool,
    pub coached: bool,
    /// Mentored until this week (exclusive); `NEVER` if never mentored.
    pub mentored_until: u16,
    /// Came of age here (the second generation).
    pub grew_up_here: bool,
    /// Came of age here in a household with someone in work in most of the
    /// years they grew up here.
    pub parents_worked: bool,
}

/// A person's record of work here, which sets their earnings and pension
/// ([`super::earnings`]): kept by the labour market, apart from [`Work`]
/// so that the processes that ask only whether a person works do not
/// carry it.
#[derive(Component, Debug, Clone, Copy)]
pub struct Career {
    /// Weeks in work here: years of them raise earnings.
    pub weeks_worked: u16,
    /// Week the last job here ended, while without one; `NEVER` while in
    /// work or before a first job.
    pub seeking_since: u16,
    /// Share of earnings kept after the scars of long spells without work
    /// (1: none).
    pub earnings_kept: f32,
    /// Pension earnings points from work here.
    pub points: f32,
    /// Gross earnings of the last week in work (read with the job: stale
    /// once it is lost).
    pub gross: f32,
}

impl Default for Career {
    fn default() -> Self {
        Career {
            weeks_worked: 0,
            seeking_since: NEVER,
            earnings_kept: 1.0,
            points: 0.0,
            gross: 0.0,
        }
    }
}

/// Number of services.
pub const SERVICES: usize = 6;

/// The services of `model.md`, in output order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Service {
    Language = 0,
    Coaching = 1,
    CredentialRecognition = 2,
    Interpretation = 3,
    HealthRegistration = 4,
    MentalHealth = 5,
}

impl Service {
    pub const ALL: [Service; SERVICES] = [
        Service::Language,
        Service::Coaching,
        Service::CredentialRecognition,
        Service::Interpretation,
        Service::HealthRegistration,
        Service::MentalHealth,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Service::Language => "language",
            Service::Coaching => "coaching",
            Service::CredentialRecognition => "credential_recognition",
            Service::Interpretation => "interpretation",
            Service::HealthRegistration => "health_registration",
            Service::MentalHealth => "mental_health",
        }
    }
}

/// The indices of the services whose bit is set in `mask`, in order.
pub fn services_in(mut mask: u8) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (mask != 0).then(|| {
            let i = mask.trailing_zeros() as usize;
            mask &= mask - 1;
            i
        })
    })
}

/// Where a person stands with one service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[repr(u8)]
pub enum ServicePhase {
    #[default]
    NotYet,
    /// On the waiting list since `ServiceUse::week`.
    Waiting,
    /// Being served until `ServiceUse::week` (exclusive).
    InService,
    Done,
}

/// A person's standing in every service, as one bit per service in each
/// of three masks (no bit set: not yet), so that the weekly questions
/// "in any service?", "anything under way?" and "waiting for what?" are
/// one or two byte operations.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct ServiceUse {
    /// Bit `i`: on the waiting list of service `i` since `week[i]`.
    pub waiting: u8,
    /// Bit `i`: being served by service `i` until `week[i]` (exclusive).
    pub serving: u8,
    /// Bit `i`: service `i` done.
    pub done: u8,
    /// Bit `i` set: service `i` will never again change for this person
    /// (done, or ineligible for good), so the weekly take-up skips it.
    pub settled: u8,
    /// Week joined the waiting list (`Waiting`), or week the service ends
    /// (`InService`).
    pub week: [u16; SERVICES],
}

impl ServiceUse {
    /// The phase of service `i`.
    pub fn phase_of(&self, i: usize) -> ServicePhase {
        let bit = 1 << i;
        if self.waiting & bit != 0 {
            ServicePhase::Waiting
        } else if self.serving & bit != 0 {
            ServicePhase::InService
        } else if self.done & bit != 0 {
            ServicePhase::Done
        } else {
            ServicePhase::NotYet
        }
    }
    pub fn phase(&self, s: Service) -> ServicePhase {
        self.phase_of(s as usize)
    }
    /// Put service `i` in `phase`.
    pub fn set_phase(&mut self, i: usize, phase: ServicePhase) {
        let bit = 1 << i;
        self.waiting &= !bit;
        self.serving &= !bit;
        self.done &= !bit;
        match phase {
            ServicePhase::NotYet => {}
            ServicePhase::Waiting => self.waiting |= bit,
            ServicePhase::InService => self.serving |= bit,
            ServicePhase::Done => self.done |= bit,
        }
    }
    /// Being served by `s`.
    pub fn in_service(&self, s: Service) -> bool {
        self.serving & (1 << s as u8) != 0
    }
    /// In at least one service.
    pub fn in_any_service(&self) -> bool {
        self.serving != 0
    }
    /// Waiting for or in at least one service.
    pub fn under_way(&self) -> bool {
        self.waiting | self.serving != 0
    }
}
