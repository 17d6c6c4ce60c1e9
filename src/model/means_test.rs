//! The means test of basic income and child benefit (`docs/model.md` 3.12,
//! S47, S48): what a household needs by its composition and housing, less
//! what it earns. Observation counts each household's members and counted
//! earnings as it counts persons ([`Needs`]), and turns them into the
//! week's benefits as it counts households ([`benefits`]); the accounts
//! price them.

use super::components::*;
use super::earnings::WEEKS_PER_MONTH;

/// A household's members as a means test sees them, and its counted
/// earnings a week ([`super::earnings::EarningsRules::counted`]).
#[derive(Clone, Copy, Default)]
pub struct Needs {
    /// Members by their place in the means test, at these indices.
    members: [u8; 7],
    counted: f64,
}

/// Children under 6, 6 to 13, 14 to 17 (and older while not adults) are
/// `members[0..3]`; adults below the retirement age who head the household
/// or are a partner or lone parent, `members[HEADS]`; other adults below
/// it, `members[OTHERS]`; retired persons, who draw pensions and the
/// minimum income in old age (housing included) instead, the last two:
/// heads (and partners) and others. A retired head still makes a couple of
/// the household's head below the retirement age.
const HEADS: usize = 3;
const OTHERS: usize = 4;
const RETIRED_HEADS: usize = 5;
const RETIRED_OTHERS: usize = 6;

impl Needs {
    /// A person's place in the means test (an index of `members`).
    #[inline]
    fn place(p: &Person, age: &Age, role: Role, retired: bool) -> usize {
        // One place, chosen without a branch (traits vary at random from one
        // person to the next).
        let child = usize::from(age.years >= 6) + usize::from(age.years >= 14);
        let head = usize::from(matches!(
            role,
            Role::Head | Role::Partner | Role::LoneParent
        ));
        let adult = if retired {
            RETIRED_OTHERS - head
        } else {
            OTHERS - head
        };
        if p.adult { adult } else { child }
    }
}

/// Places in the means test take 3 bits of a ledger entry; the household's
/// slot the rest.
const PLACE_BITS: u32 = 3;

/// The week's means tests: what each person counted adds to their
/// household's [`Needs`], noted in person order as persons are counted,
/// then gathered by household in the order the household pass visits them.
///
/// Adding to each household's entry as persons are counted wrote to a
/// scattered place for each person (persons are stored in no order of
/// their households): over thirty years, as households grew to hundreds
/// of thousands, those writes missed the cache and, with reading the
/// entries back, took nearly a fifth of a replication's time. Noted in a
/// list and gathered in a loop that does nothing else, the same additions
/// in the same order (the same sums to the bit) overlap their misses.
#[derive(Default)]
pub struct NeedsLedger {
    /// Each person counted: their household's slot and their place.
    members: Vec<u32>,
    /// Counted earnings that are not zero (adding zero changes no sum), and
    /// the earner's household's slot.
    earnings: Vec<(u32, f64)>,
    /// Where each slot's household comes in the household pass
    /// (`NOWHERE` for a slot unused this week).
    position: Vec<u32>,
    /// Each household's needs, in the household pass's order.
    gathered: Vec<Needs>,
}

const NOWHERE: u32 = u32::MAX;

impl NeedsLedger {
    /// Start this week's means tests.
    pub fn begin(&mut self) {
        self.members.clear();
        self.earnings.clear();
    }

    /// Note a person present this week, with their counted earnings, for
    /// the household in `slot`.
    #[inline]
    pub fn note(
        &mut self,
        slot: u32,
        p: &Person,
        age: &Age,
        role: Role,
        retired: bool,
        counted: f64,
    ) {
        debug_assert!(
            slot < 1 << (32 - PLACE_BITS),
            "a household slot beyond the ledger's"
        );
        let place = Needs::place(p, age, role, retired) as u32;
        self.members.push(slot << PLACE_BITS | place);
        if counted != 0.0 {
            self.earnings.push((slot, counted));
        }
    }

    /// Gather the week's notes by household, given the households' slots
    /// in the order the household pass visits them; [`NeedsLedger::get`]
    /// then answers by that order.
    pub fn gather(&mut self, slots: impl Iterator<Item = u32>) {
        self.position.fill(NOWHERE);
        self.gathered.clear();
        for (i, slot) in slots.enumerate() {
            let slot = slot as usize;
            if self.position.len() <= slot {
                self.position.resize(slot + 1, NOWHERE);
            }
            self.position[slot] = i as u32;
            self.gathered.push(Needs::default());
        }
        let mask = (1 << PLACE_BITS) - 1;
        // Every person counted belongs to a household present (none is
        // removed between the count and the household pass).
        for &m in &self.members {
            let at = self.position[(m >> PLACE_BITS) as usize];
            debug_assert_ne!(at, NOWHERE, "a person counted without a household");
            self.gathered[at as usize].members[(m & mask) as usize] += 1;
        }
        for &(slot, counted) in &self.earnings {
            let at = self.position[slot as usize];
            debug_assert_ne!(at, NOWHERE, "earnings counted without a household");
            self.gathered[at as usize].counted += counted;
        }
    }

    /// The needs of the `i`-th household of the household pass.
    pub fn get(&self, i: usize) -> &Needs {
        &self.gathered[i]
    }
}

/// The benefits a household draws a week: child benefit for its children
/// if it has a residence status; and if it has protection, basic income,
/// means-tested: the standard rates of its members of working age and its
/// children, and its housing costs if it lives in mainstream housing, less
/// its counted earnings and child benefit. Returns the benefits and
/// whether basic income is among them.
pub fn benefits(n: &Needs, h: &Household, rates: &BenefitRates) -> (f64, bool) {
    let children: u8 = n.members[..HEADS].iter().sum();
    let child_benefit = if h.legal.has_status() {
        f64::from(children) * rates.child_benefit
    } else {
        0.0
    };
    if !h.legal.is_refugee() {
        return (child_benefit, false);
    }
    let (heads, others) = (n.members[HEADS], n.members[OTHERS]);
    // Members whose needs the basic income meets; the retired draw the
    // minimum income in old age, which includes their housing.
    let in_need: u8 = n.members[..RETIRED_HEADS].iter().sum();
    if in_need == 0 {
        return (child_benefit, false);
    }
    let couple = heads + n.members[RETIRED_HEADS] >= 2;
    let (heads_f, others_f) = (f64::from(heads), f64::from(others));
    let adults = match heads {
        0 if others > 0 => rates.single + (others_f - 1.0) * rates.other,
        0 => 0.0,
        1 if couple => rates.partner + others_f * rates.other,
        1 => rates.single + others_f * rates.other,
        _ => 2.0 * rates.partner + (heads_f - 2.0 + others_f) * rates.other,
    };
    let kids: f64 = n.members[..HEADS]
        .iter()
        .zip(rates.child)
        .map(|(&k, rate)| f64::from(k) * rate)
        .sum();
    let housing = if matches!(
        h.housing,
        HousingStatus::Mainstream | HousingStatus::Overcrowded
    ) {
        rates.housing + f64::from(in_need - 1) * rates.housing_further
    } else {
        0.0
    };
    let need = adults + kids + housing;
    let basic = (need - n.counted - child_benefit).max(0.0);
    (child_benefit + basic, basic > 0.0)
}

/// The monthly rates of [`crate::scenario::Benefits`], a week.
pub struct BenefitRates {
    single: f64,
    partner: f64,
    other: f64,
    child: [f64; 3],
    child_benefit: f64,
    housing: f64,
    housing_further: f64,
}

impl BenefitRates {
    pub fn new(b: &crate::scenario::Benefits) -> BenefitRates {
        let w = |month: f64| month / WEEKS_PER_MONTH;
        BenefitRates {
            single: w(b.single_adult_per_month),
            partner: w(b.partner_per_month),
            other: w(b.other_adult_per_month),
            child: [
                w(b.child_under_6_per_month),
                w(b.child_6_to_13_per_month),
                w(b.child_14_to_17_per_month),
            ],
            child_benefit: w(b.child_benefit_per_month),
            housing: w(b.housing_per_month),
            housing_further: w(b.housing_per_further_member_month),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Benefits;

    fn household(legal: LegalStatus, housing: HousingStatus, size: u8) -> Household {
        Household {
            size,
            origin: 0,
            channel: Channel::Asylum,
            region: 0,
            legal,
            housing,
            arrival_week: 0,
            status_week: 0,
            housing_queue_since: NEVER,
            sponsored: false,
            employed: 0,
            agents: true,
            members: 0,
            slot: 0,
            pupils: 0,
            outgrown: NO_CLASS,
        }
    }

    /// An adult of working age, or a child.
    fn person(adult: bool) -> Person {
        Person {
            household: bevy_ecs::entity::Entity::PLACEHOLDER,
            adult,
            working_age: adult,
            skill: Tier::Low,
            literate: true,
            origin: 0,
            arrival_week: 0,
            coaching_draw: 0.0,
            agent: true,
            work_draw: 0.0,
        }
    }

    /// One household's members (adult, age, role, retired, counted
    /// earnings), noted and gathered as observation does, beside another
    /// household's in the same week.
    fn gathered(members: &[(bool, u8, Role, bool, f64)]) -> Needs {
        let mut ledger = NeedsLedger::default();
        ledger.begin();
        let other = person(true);
        for (k, &(adult, years, role, retired, counted)) in members.iter().enumerate() {
            ledger.note(7, &person(adult), &Age { years }, role, retired, counted);
            ledger.note(3, &other, &Age { years: 40 }, Role::Head, false, k as f64);
        }
        ledger.gather([3, 7].into_iter());
        *ledger.get(1)
    }

    /// A couple with children of 3 and 10, counted as observation does.
    fn couple_with_two_children(counted_week: f64) -> Needs {
        let (adult, child) = (true, false);
        gathered(&[
            (adult, 35, Role::Head, false, counted_week),
            (adult, 33, Role::Partner, false, 0.0),
            (child, 3, Role::Child, false, 0.0),
            (child, 10, Role::Child, false, 0.0),
        ])
    }

    #[test]
    fn the_ledger_gathers_each_household_in_person_order() {
        // Two households' members interleaved, as persons are stored; the
        // earnings chosen so that another order of addition would round
        // differently: (0.1 + 0.2) + 0.3 is not 0.1 + (0.2 + 0.3).
        assert_ne!((0.1 + 0.2) + 0.3, 0.1 + (0.2 + 0.3));
        let mut ledger = NeedsLedger::default();
        ledger.begin();
        let (adult, child) = (true, false);
        for (slot, adult, years, role, counted) in [
            (5, adult, 30, Role::Head, 0.1),
            (2, adult, 50, Role::Head, 7.0),
            (5, adult, 29, Role::Partner, 0.2),
            (5, child, 8, Role::Child, 0.0),
            (2, child, 15, Role::Child, 0.0),
            (5, adult, 19, Role::Child, 0.3),
        ] {
            ledger.note(slot, &person(adult), &Age { years }, role, false, counted);
        }
        // The household pass visits slot 2's household first, then 5's.
        ledger.gather([2, 5].into_iter());
        let (first, second) = (ledger.get(0), ledger.get(1));
        assert_eq!(first.members, [0, 0, 1, 1, 0, 0, 0]);
        assert_eq!(first.counted, 7.0);
        assert_eq!(second.members, [0, 1, 0, 2, 1, 0, 0]);
        assert_eq!(second.counted.to_bits(), ((0.1 + 0.2) + 0.3f64).to_bits());
        // A new week starts empty.
        ledger.begin();
        ledger.gather([5, 2].into_iter());
        assert_eq!(ledger.get(0).members, [0; 7]);
        assert_eq!(ledger.get(1).counted, 0.0);
    }

    fn month((paid, basic): (f64, bool)) -> (f64, bool) {
        (paid * WEEKS_PER_MONTH, basic)
    }

    #[test]
    fn a_family_without_earnings_draws_its_standard_rates_and_housing() {
        let rates = BenefitRates::new(&Benefits::default());
        let n = couple_with_two_children(0.0);
        let home = household(LegalStatus::Recognised, HousingStatus::Mainstream, 4);
        // 2 × 506 + 357 + 390 + 420 + 3 × 90: child benefit (2 × 250)
        // counted against it, so the total is the need.
        let (paid, basic) = month(benefits(&n, &home, &rates));
        assert!((paid - 2449.0).abs() < 1e-9, "{paid}");
        assert!(basic);
        // In reception, no housing costs: 1,759.
        let reception = household(LegalStatus::Recognised, HousingStatus::Reception, 4);
        let (paid, _) = month(benefits(&n, &reception, &rates));
        assert!((paid - 1759.0).abs() < 1e-9, "{paid}");
    }

    #[test]
    fn earnings_above_the_need_leave_child_benefit_only() {
        let rates = BenefitRates::new(&Benefits::default());
        let home = household(LegalStatus::Recognised, HousingStatus::Mainstream, 4);
        let n = couple_with_two_children(3000.0 / WEEKS_PER_MONTH);
        let (paid, basic) = month(benefits(&n, &home, &rates));
        assert!((paid - 500.0).abs() < 1e-9, "{paid}");
        assert!(!basic);
        // Earnings that cover part of the need reduce it one for one.
        let n = couple_with_two_children(1000.0 / WEEKS_PER_MONTH);
        let (paid, basic) = month(benefits(&n, &home, &rates));
        assert!((paid - 1449.0).abs() < 1e-9, "{paid}");
        assert!(basic);
    }

    #[test]
    fn without_protection_only_child_benefit_and_without_status_nothing() {
        let rates = BenefitRates::new(&Benefits::default());
        let n = couple_with_two_children(0.0);
        let resident = household(LegalStatus::Resident, HousingStatus::Mainstream, 4);
        assert_eq!(month(benefits(&n, &resident, &rates)).0.round(), 500.0);
        let seeking = household(LegalStatus::AsylumSeeker, HousingStatus::Reception, 4);
        assert_eq!(benefits(&n, &seeking, &rates), (0.0, false));
    }

    #[test]
    fn the_retired_draw_no_basic_income_or_housing_but_make_a_couple() {
        let rates = BenefitRates::new(&Benefits::default());
        // Two retired persons alone: their minimum income in old age pays
        // their housing; no basic income.
        let old = gathered(&[
            (true, 70, Role::Head, true, 0.0),
            (true, 68, Role::Partner, true, 0.0),
        ]);
        let home = household(LegalStatus::Recognised, HousingStatus::Mainstream, 2);
        assert_eq!(benefits(&old, &home, &rates), (0.0, false));
        // A partner below the retirement age with a retired head: the
        // partner's rate and the housing of one.
        let mixed = gathered(&[
            (true, 70, Role::Head, true, 0.0),
            (true, 60, Role::Partner, false, 0.0),
        ]);
        let (paid, basic) = month(benefits(&mixed, &home, &rates));
        assert!((paid - (506.0 + 420.0)).abs() < 1e-9, "{paid}");
        assert!(basic);
    }
}
