"""The accounts of the Mesa peer: earnings by tier, years in work and scars,
contributions, benefits by household composition under a means test,
pensions, and the week's costs, as `src/model/accounts.rs`, `earnings.rs`
and `means_test.rs` define them.

`Accounts` is mixed into the model (`ForesightPeer`): weekly process 12.
`PersonCareer` is mixed into `Person`: the labour market's bookkeeping of
earnings. `HouseholdNeeds` is mixed into `Household`: the means test, read
by the household's `observe`.
"""

from __future__ import annotations

from peer_vocab import (
    HAS_STATUS,
    HEAD_LIKE,
    MAINSTREAM,
    NEVER,
    OVERCROWDED,
    REFUGEE,
    SERVICES,
    TIERS,
    WEEKS_PER_MONTH,
    tiers,
)

# S47: earnings kept before benefits are reduced, per month (from, to, share).
ALLOWANCE_BANDS = ((0.0, 100.0, 1.0), (100.0, 520.0, 0.2), (520.0, 1000.0, 0.3), (1000.0, 1200.0, 0.1))


class EarningsRules:
    """src/model/earnings.rs: EarningsRules."""

    def __init__(self, a, retirement_age):
        e = a["earnings"]
        base = tiers(e["per_week"])
        self.by_year = [
            [base[t] * (1.0 + e["growth_per_year"]) ** y for y in range(e["growth_years"] + 1)]
            for t in range(TIERS)
        ]
        tax = tiers(e["income_tax_share"])
        self.revenue_share = [t + e["counted_contributions_share"] for t in tax]
        self.net_share = [1.0 - t - e["employee_contributions_share"] for t in tax]
        self.allowance_bands = [(lo / WEEKS_PER_MONTH, hi / WEEKS_PER_MONTH, s) for lo, hi, s in ALLOWANCE_BANDS]
        self.scar_per_week = e["scar_per_month"] / WEEKS_PER_MONTH
        self.scar_max = e["scar_max"]
        p = a["pensions"]
        self.points_per_unit = 1.0 / p["average_earnings_year"]
        self.pension_per_point_week = p["value_per_point_month"] / WEEKS_PER_MONTH
        self.old_age_minimum_week = p["old_age_minimum_per_month"] / WEEKS_PER_MONTH
        self.retirement_age = min(retirement_age, 255)

    def gross(self, tier, weeks_worked, kept):
        table = self.by_year[tier]
        return table[min(weeks_worked // 52, len(table) - 1)] * kept

    def counted(self, tier, gross):
        allowance = sum(max(min(gross, hi) - lo, 0.0) * s for lo, hi, s in self.allowance_bands)
        return max(gross * self.net_share[tier] - allowance, 0.0)

    def scarred(self, kept, weeks):
        spell = min(weeks * self.scar_per_week, 1.0)
        return max(kept * (1.0 - spell), 1.0 - self.scar_max)


class BenefitRates:
    """src/model/means_test.rs: BenefitRates, per week."""

    def __init__(self, b):
        w = lambda month: month / WEEKS_PER_MONTH  # noqa: E731
        self.single = w(b["single_adult_per_month"])
        self.partner = w(b["partner_per_month"])
        self.other = w(b["other_adult_per_month"])
        self.child = (
            w(b["child_under_6_per_month"]),
            w(b["child_6_to_13_per_month"]),
            w(b["child_14_to_17_per_month"]),
        )
        self.child_benefit = w(b["child_benefit_per_month"])
        self.housing = w(b["housing_per_month"])
        self.housing_further = w(b["housing_per_further_member_month"])


class PersonCareer:
    """Earnings bookkeeping in the labour market (mixed into `Person`)."""

    def accrue(self, tier):
        """A week in work: its gross, pension points, and a week more."""
        rules = self.model.earnings
        gross = rules.gross(tier, self.weeks_worked, self.earnings_kept)
        self.gross = gross
        self.points += gross * rules.points_per_unit
        self.weeks_worked += 1

    def start_job(self, week):
        """A job found: a spell since a job here leaves its scar (M31)."""
        if self.seeking_since != NEVER:
            self.earnings_kept = self.model.earnings.scarred(self.earnings_kept, week - self.seeking_since)
            self.seeking_since = NEVER


class HouseholdNeeds:
    """The means test (mixed into `Household`; src/model/means_test.rs)."""

    def benefits(self):
        """(child benefit + basic income, on basic income) of a household with
        a residence status this week."""
        m = self.model
        rates = m.benefit_rates
        rules = m.earnings
        retirement = rules.retirement_age
        kids = [0, 0, 0]
        heads = others = retired_heads = retired_others = 0
        counted = 0.0
        refugee = self.legal in REFUGEE
        for p in self.members:
            if not p.adult:
                kids[(p.age >= 6) + (p.age >= 14)] += 1
                continue
            retired = p.age >= retirement
            if p.role in HEAD_LIKE:
                if retired:
                    retired_heads += 1
                else:
                    heads += 1
            elif retired:
                retired_others += 1
            else:
                others += 1
            if refugee and p.job is not None:
                counted += rules.counted(p.job, p.gross)
        children = kids[0] + kids[1] + kids[2]
        child_benefit = children * rates.child_benefit if self.legal in HAS_STATUS else 0.0
        if not refugee:
            return child_benefit, False
        in_need = children + heads + others
        if in_need == 0:
            return child_benefit, False
        couple = heads + retired_heads >= 2
        if heads == 0:
            adults = rates.single + (others - 1) * rates.other if others > 0 else 0.0
        elif heads == 1:
            adults = (rates.partner if couple else rates.single) + others * rates.other
        else:
            adults = 2.0 * rates.partner + (heads - 2 + others) * rates.other
        kid = sum(k * r for k, r in zip(kids, rates.child))
        housing = 0.0
        if self.housing in (MAINSTREAM, OVERCROWDED):
            housing = rates.housing + (in_need - 1) * rates.housing_further
        need = adults + kid + housing
        basic = max(need - counted - child_benefit, 0.0)
        return child_benefit + basic, basic > 0.0


class Accounts:
    """Weekly process 12 (mixed into `ForesightPeer`)."""

    def init_accounts(self, s):
        self.earnings = EarningsRules(s["accounts"], s["demography"]["retirement_age"])
        self.benefit_rates = BenefitRates(s["accounts"]["benefits"])

    def programme_cost_per_year(self):
        a = self.s["accounts"]["programme_cost_per_year"]
        p = self.policy
        return (
            (a["intensive_coaching"] if p["intensive_coaching"]["coverage"] > 0.0 else 0.0)
            + (a["mentoring"] if p["mentoring"]["pairs_per_year"] > 0.0 else 0.0)
            + (a["community_sponsorship"] if p["community_sponsorship"]["households_per_year"] > 0.0 else 0.0)
            + (a["nudges"] if p["nudges"]["enabled"] else 0.0)
            + (a["credential_fast_track"] if p["credential_fast_track"]["enabled"] else 0.0)
        )

    # 12. Accounts: costs, contributions, discounted balance.
    def accounts(self, week):
        a = self.s["accounts"]
        scale = self.scale
        discount = (1.0 + a["discount_rate_annual"]) ** (-week / 52.0)
        empty_share = a["empty_place_cost_share"]
        reception_price = a["reception_cost_per_person_week"]
        programmes_per_week = self.programme_cost_per_year() / 52.0
        fast_track = self.policy["credential_fast_track"]["enabled"]
        school_prices = (
            a["primary_school_cost_per_pupil_year"] / 52.0,
            a["secondary_school_cost_per_pupil_year"] / 52.0,
        )
        earnings = self.earnings
        cost = contributions = 0.0
        for r, row in enumerate(self.obs.rows):
            region = self.regions[r]
            empty_reception = max(region.reception_capacity - region.reception_used, 0)
            cost += (
                row["reception"] * reception_price
                + empty_reception * empty_share * reception_price
                + row["emergency"] * a["emergency_cost_per_person_week"]
                + row["homeless"] * a["homeless_cost_per_person_week"]
            )
            cost += row["benefits"] * scale + row["pensions"] * scale
            setup = region.reception_ordered * a["setup_weeks_per_added_place"] * reception_price
            for i in range(SERVICES):
                price = self.services[i]["cost_per_place_week"]
                used = region.in_service[i]
                empty = max(region.seats[i] - used, 0)
                cost += used * price + empty * empty_share * price
                setup += region.seats_ordered[i] * a["setup_weeks_per_added_place"] * price
            for level in range(2):
                used = region.pupils[level]
                empty = max(region.school_places[level] - used, 0)
                cost += (used + empty * empty_share) * school_prices[level]
            cost += (
                self.decisions_flow[r] * a["decision_cost_per_person"]
                + self.appeal_decisions_flow[r] * a["appeal_cost_per_person"]
                + self.removals_flow[r] * a["removal_cost_per_person"]
            )
            fast_track_cases = self.started[r][2] if fast_track else 0
            cost += (
                self.mentored_flow[r] * scale * a["mentoring_cost_per_pair"]
                + self.sponsored_flow[r] * a["sponsorship_cost_per_person"]
                + fast_track_cases * a["fast_track_cost_per_case"]
                + programmes_per_week * self.population_share[r]
            )
            cost += setup
            contributions += sum(
                row["earnings_by_tier"][t] * earnings.revenue_share[t] * scale for t in range(TIERS)
            )
        self.cost_now = cost
        self.contributions_now = contributions
        self.discounted += (contributions - cost) * discount
