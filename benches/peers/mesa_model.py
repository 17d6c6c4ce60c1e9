"""The Mesa peer of foresight's weekly model: the same processes, in the same
order, with the same parameters, written as Mesa 3.x documents a model.

Persons and households are `mesa.Agent`s; regions, queues and tallies are
model-level state; each week `ForesightPeer.step` runs the processes of
`docs/model.md` in the order of `src/model/mod.rs`:

 1. drivers            model-level (jobs, attitudes, adaptive capacity)
 1a. ageing            `Person.grow_older` via `do` in week 0 of a year;
                       the year's deaths, births, departures from home drawn
 2. arrivals           new `Household` and `Person` agents (roles, ages)
 3. dispersal          model-level, over this week's households
 3a. family_reunion    applications, processing, families joining sponsors
 3b-3d. births, deaths, leaving_home   the year's drawn events of this week
 4. asylum_decisions   model-level backlog, first come first served
 4a. appeals, 4b. removals   the courts' and the removals' queues
 5. moving_on          `Household.move_on` via `AgentSet.select(...).do`
 5a. housing_market    searchers queue; homes by size and tenure (model-level)
 6. secondary_movement `Household.consider_moving` via `select(...).do`
 7. residence          `Person.take_residence` via `do`; departed agents removed
 8. services           `Person.use_services` via `do`, then seats by queue
 8a. schools           school places by region and level (model-level)
 9. integration        `Person.integrate` via `do`
10. labour_market      `Person.seek_work` then `Person.work` via `do`
11. observe            `Household/Person.observe` via `do`, `DataCollector.collect`
12. accounts           model-level

The life course is in `peer_life.py`, legal status and housing in
`peer_status.py`, the accounts in `peer_accounts.py`; their classes are
mixed into the agents and the model here. The scenario's defaults and its
reading are in `peer_scenario.py`. Wildcards, named drivers,
adaptive rules, volunteers and the cohort census are not ported (all off,
or bookkeeping only, in `scenarios/baseline.yaml`; see README.md).

It does not reproduce foresight's random streams (one PCG stream per process);
it draws from the model's `random.Random` (uniforms) and `numpy` generator
(Poisson), so replications agree with foresight in distribution, not draw by
draw. `benches/peers/compare.py` checks that agreement and the speed ratio.

Usage:
    python mesa_model.py SCENARIO.yaml -n 3 --seed 1 --out headline.csv
prints the headline table, person-weeks and person-weeks per second (one core).
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import time

from collections import deque

import mesa

from peer_accounts import Accounts, HouseholdNeeds, PersonCareer
from peer_life import LifeCourse, PersonLife, stage
from peer_scenario import load_scenario  # noqa: F401 (read by compare.py and main)
from peer_status import HouseholdTenancy, StatusAndHousing
from peer_vocab import (
    ABROAD,
    ASYLUM,
    ASYLUM_SEEKER,
    AWAITING_DECISION,
    COACHING,
    CREDENTIAL,
    DEPARTED,
    DONE,
    EMERGENCY,
    GONE,
    FAMILY,
    HAS_STATUS,
    HEALTH,
    HIGH,
    HOMELESS,
    IN_SERVICE,
    INTERPRETATION,
    LABOUR,
    LANGUAGE,
    LEGAL_STATUSES,
    LOW,
    MAINSTREAM,
    MENTAL_HEALTH,
    MENTORING_WINDOW_WEEKS,
    MID,
    NEVER,
    NO_CLASS,
    NO_FAMILY_ABROAD,
    NO_SCHOOL,
    NOT_YET,
    NOWHERE,
    OUT,
    OVERCROWDED,
    PATH_NONE,
    RECEPTION,
    RECOGNISED,
    REFUGEE,
    RESETTLED,
    RESETTLEMENT,
    RESIDENT,
    SERVICE_NAMES,
    SERVICES,
    SPONSORSHIP,
    SUBSIDIARY,
    THREE_YEARS,
    TIERS,
    WAITING,
    round_half_away,
    tiers,
    weekly_automation,
)

# The headline indicators, in the order of foresight's HEADLINES
# (src/model/indicators/headline.rs).
HEADLINES = (
    "arrivals_total",
    "asylum_backlog_final",
    "asylum_backlog_peak",
    "emergency_accommodation_peak",
    "homeless_peak",
    "homeless_refugees_peak",
    "homeless_share_of_refugees_final",
    "homeless_share_of_refugees_peak",
    "language_wait_mean_weeks",
    "language_wait_worst_region_weeks",
    "employment_rate_final",
    "employment_rate_3y_plus_final",
    "underemployment_rate_final",
    "mean_language_final",
    "attitude_final",
    "attitude_min_region_final",
    "total_cost",
    "total_contributions",
    "school_waiting_peak",
    "school_wait_mean_weeks",
    "reunion_arrivals_total",
    "reunion_backlog_final",
    "overcrowded_households_peak",
    "second_generation_employment_rate_final",
    "cumulative_discounted_balance",
)



# ------------------------------------------------------------------ agents


class Household(HouseholdTenancy, HouseholdNeeds, mesa.Agent):
    """A household: housing, region and legal status belong to it."""

    def __init__(self, model, size, origin, channel, legal, housing, week):
        super().__init__(model)
        self.size = size
        self.origin = origin
        self.channel = channel
        self.region = NOWHERE
        self.legal = legal
        self.housing = housing
        self.arrival_week = week
        self.status_week = NEVER if legal == ASYLUM_SEEKER else week
        self.housing_queue_since = NEVER
        self.sponsored = channel == SPONSORSHIP
        self.employed = 0
        self.members = []
        self.pupils = 0
        self.outgrown = NO_CLASS
        self.homeless_path = PATH_NONE
        self.rent_draw = 0.0
        self.reunion = NO_FAMILY_ABROAD
        self.reunion_members = 0
        self.reunion_week = NEVER
        self.worked_this_year = 0
        self.gone = False

    def may_move(self, week):
        return (
            self.legal in HAS_STATUS
            and self.employed == 0
            and self.status_week != NEVER
            and self.housing not in (RECEPTION, GONE)
            and max(week - self.status_week, 0) >= self.model.residence_rule
        )

    # Weekly process 6: onward moves towards jobs and people like them.
    def consider_moving(self, week):
        m = self.model
        if m.random.random() >= m.move_rate:
            return
        origin = self.origin
        frm = self.region
        total = m.origin_total[origin]

        def pull(r):
            if r == frm:
                return 0.0
            share = m.by_origin[r][origin] / total if total > 0.0 else 0.0
            jobs_per_head = max(sum(m.regions[r].jobs) / m.population[r], 1e-9)
            return jobs_per_head**m.job_pull * (1.0 + m.move_network_pull * 100.0 * share)

        to = m.by_weight(pull)
        if to == frm:
            return
        self.region = to
        self.housing = OVERCROWDED
        self.housing_queue_since = NEVER
        self.outgrown = NO_CLASS

    def note_work(self):
        """Week 0 of a year: whether someone in the household works (read by
        the children's years of childhood here)."""
        self.worked_this_year = 1 if self.employed > 0 else 0

    def observe(self, acc):
        m = self.model
        r = self.region
        n = self.size
        row = acc.rows[r]
        row["status"][self.legal] += n
        row["households"] += 1
        h = self.housing
        if h == RECEPTION:
            row["reception"] += n
        elif h == EMERGENCY:
            row["emergency"] += n
            if self.legal == ASYLUM_SEEKER:
                m.emergency_waiting[r] += n
        elif h == MAINSTREAM:
            row["mainstream"] += n
        elif h == OVERCROWDED:
            row["overcrowded"] += n
            row["overcrowded_households"] += 1
        elif h == HOMELESS:
            row["homeless"] += n
            if self.legal in REFUGEE:
                row["homeless_refugees"] += n
            m.homeless_by_region[r] += n
        if self.sponsored:
            m.sponsored_by_region[r] += n
        m.by_origin[r][self.origin] += n
        m.origin_total[self.origin] += n
        if self.legal in HAS_STATUS:
            paid, basic = self.benefits()
            row["benefits"] += paid
            row["on_benefits"] += basic




class Person(PersonLife, PersonCareer, mesa.Agent):
    """A person: traits, age and role, a copy of their household's residence,
    integration progress, work and earnings, their standing with each
    service and with school."""

    def __init__(self, model, household, role, age, skill, literate, vulnerable,
                 coaching_draw, language, job, credential_recognised, week):
        super().__init__(model)
        d = model.life.d
        adult, working_age, school = stage(age, d)
        self.household = household
        self.role = role
        self.age = age
        self.adult = adult
        self.working_age = working_age
        self.skill = skill
        self.literate = literate
        self.origin = household.origin
        self.arrival_week = week
        self.coaching_draw = coaching_draw
        self.gone = False
        # Residence: the household's, refreshed weekly after the household processes.
        self.region = NOWHERE
        self.legal = household.legal
        self.housing = household.housing
        self.sponsored = household.sponsored
        self.status_week = household.status_week
        self.family_at_school = False
        # Progress.
        self.language = language
        self.bonds = 0.0
        self.bridges = 0.0
        self.links = 0.0
        self.vulnerable = vulnerable
        self.at_school = False
        # Work.
        self.job = job
        self.credential_recognised = credential_recognised
        self.coached = False
        self.mentored_until = NEVER
        self.grew_up_here = False
        self.parents_worked = False
        # Career (earnings).
        self.weeks_worked = 0
        self.seeking_since = NEVER
        self.earnings_kept = 1.0
        self.points = 0.0
        self.gross = 0.0
        # Services: phase, and the week joined (waiting) or the end (in service).
        self.phase = [NOT_YET] * SERVICES
        self.since = [0] * SERVICES
        # Schooling.
        self.due = school
        self.school_phase = OUT
        self.school_level = NO_SCHOOL
        self.school_region = NOWHERE
        self.school_week = 0
        self.weeks_done = 0
        access = model.policy["school_access"]
        self.asylum_access_week = week + access["asylum_seeker_wait_weeks"] if access["asylum_seekers"] else NEVER
        self.years_here = 0
        self.years_parents_worked = 0

    # Weekly process 7 (bookkeeping): take the household's new state; movers
    # and leavers give up their places; children whose standing may change
    # are noted for the schools.
    def take_residence(self):
        h = self.household
        m = self.model
        if h.legal == DEPARTED:
            m.release_places(self, None)
            self.job = None
            self.legal = DEPARTED
            return
        if (self.region != h.region or self.legal != h.legal) and (
            self.due != NO_SCHOOL or self.school_phase != OUT
        ):
            m.school_now.append(self)
        if self.region != NOWHERE and self.region != h.region:
            m.release_service_seats(self)
        self.region = h.region
        self.legal = h.legal
        self.housing = h.housing
        self.sponsored = h.sponsored
        self.status_week = h.status_week
        self.family_at_school = h.pupils > 0

    def eligible(self, s, coverage):
        if s == LANGUAGE:
            return self.adult and self.language < 0.95
        if s == COACHING:
            return self.working_age and self.job is None and self.coaching_draw < coverage
        if s == CREDENTIAL:
            return self.adult and self.skill == HIGH and not self.credential_recognised
        if s == INTERPRETATION:
            return self.language < 0.3
        if s == HEALTH:
            return True
        return self.vulnerable and self.phase[HEALTH] == DONE

    # Weekly process 8, the person's part: completions, leaving the list,
    # and joining waiting lists (thinned by homelessness and subsidiary
    # protection, M16).
    def use_services(self, week):
        m = self.model
        legal = self.legal
        access = legal in HAS_STATUS or (m.day_one and legal in AWAITING_DECISION)
        region = m.regions[self.region]
        phase = self.phase
        since = self.since
        rnd = m.random.random
        gate = (m.homeless_factor if self.housing == HOMELESS else 1.0) * (
            m.subsidiary_factor if legal == SUBSIDIARY else 1.0
        )
        for i in range(SERVICES):
            p = phase[i]
            if p == IN_SERVICE:
                if week >= since[i]:
                    phase[i] = DONE
                    region.in_service[i] -= 1
                    if i == CREDENTIAL:
                        self.credential_recognised = True
                    elif i == MENTAL_HEALTH:
                        self.vulnerable = False
            elif p == WAITING:
                if not (access and self.eligible(i, m.coverage)):
                    phase[i] = NOT_YET
            elif p == NOT_YET:
                if access and self.eligible(i, m.coverage) and rnd() < m.take_up[i] * gate:
                    phase[i] = WAITING
                    since[i] = week
                    region.service_queue[i].append((self, week))

    # Weekly process 9: language, bonds, bridges, links (school included).
    def integrate(self, week):
        m = self.model
        c = m.integration
        sc = m.school_gains
        slow = (1.0 if self.literate else c["illiteracy_factor"]) * (
            c["trauma_factor"] if self.vulnerable else 1.0
        )
        employed = self.job is not None
        gain = c["language_gain_everyday"]
        if self.phase[LANGUAGE] == IN_SERVICE:
            gain += c["language_gain_in_course"]
        if employed:
            gain += c["language_gain_at_work"]
        if self.at_school:
            gain += sc["language_gain_in_school"]
        self.language += min(gain * slow, 1.0) * (1.0 - self.language)

        same_origin = m.by_origin[self.region][self.origin]
        target = min(same_origin / c["bonds_saturation"], 1.0)
        self.bonds += c["bonds_rate"] * (target - self.bonds)

        mentored = self.mentored_until != NEVER and week < self.mentored_until
        bridge_gain = 0.0
        if employed:
            bridge_gain += c["bridges_gain_at_work"]
        if self.sponsored:
            bridge_gain += c["bridges_gain_sponsored"]
        if mentored:
            bridge_gain += c["bridges_gain_mentored"]
        if self.at_school:
            bridge_gain += sc["bridges_gain_in_school"]
        if self.adult and self.family_at_school:
            bridge_gain += sc["bridges_gain_school_parent"]
        trauma_only = c["trauma_factor"] if self.vulnerable else 1.0
        self.bridges += min(bridge_gain * trauma_only, 1.0) * (1.0 - self.bridges)

        if IN_SERVICE in self.phase:
            self.links += c["links_gain_in_service"] * (1.0 - self.links)

    # Weekly process 10: who may work, in which tier, and how likely to find work.
    def may_work(self, week):
        if not self.working_age:
            return False
        if self.legal in HAS_STATUS:
            return True
        if self.legal in AWAITING_DECISION:
            early = self.model.early_access
            return early is not None and week >= self.arrival_week + early
        return False

    def tier_sought(self):
        m = self.model
        t = self.skill
        if t == HIGH and not self.credential_recognised:
            t = MID
        if self.language < m.tier_language_threshold:
            t = LOW
        return t

    def hazard(self, tier, week):
        m = self.model
        lm = m.labour
        lang = min(self.language / lm["language_needed"], 1.0)
        lang_factor = lm["language_floor"] + (1.0 - lm["language_floor"]) * lang
        network = 1.0 + (lm["network_effect"] - 1.0) * self.bonds
        attitude = m.regions[self.region].attitude
        h = m.base_hazard[tier] * lang_factor * network * (1.0 - lm["attitude_effect"] * (1.0 - attitude))
        if self.coached:
            h *= m.coaching_multiplier
        if self.mentored_until != NEVER and week < self.mentored_until:
            h *= m.mentoring_multiplier
        if self.vulnerable:
            h *= m.integration["trauma_factor"]
        if self.housing == HOMELESS:
            h *= m.homeless_factor
        if self.parents_worked:
            h *= m.parents_work_effect
        return min(h, 1.0)

    def mentor_eligible(self, week):
        return (
            self.legal in HAS_STATUS
            and self.mentored_until == NEVER
            and week < self.arrival_week + MENTORING_WINDOW_WEEKS
        )

    def seek_work(self, week):
        """Pass 1: add this seeker's hazard to the demand of their region and tier."""
        if self.job is not None or not self.may_work(week):
            return
        m = self.model
        t = self.tier_sought()
        m.demand[self.region][t] += self.hazard(t, week)
        if self.mentor_eligible(week):
            m.mentor_eligible += 1.0

    def work(self, week):
        """Pass 2: job loss, mentoring, job finding within the vacancies, and
        the week's earnings."""
        if not self.working_age:
            return
        m = self.model
        rnd = m.random.random
        if self.job is not None:
            lost_right = not self.may_work(week)
            if lost_right or rnd() < m.job_loss[self.job]:
                self.job = None
                self.seeking_since = week
                h = self.household
                h.employed = max(h.employed - 1, 0)
            else:
                self.accrue(self.job)
            return
        if not self.may_work(week):
            return
        if m.mentor_p > 0.0 and self.mentor_eligible(week) and rnd() < m.mentor_p:
            self.mentored_until = m.mentor_until
            m.mentored += 1.0
            m.mentored_flow[self.region] += 1
        t = self.tier_sought()
        if rnd() < self.hazard(t, week) * m.demand[self.region][t]:
            self.job = t
            self.start_job(week)
            self.accrue(t)
            self.household.employed += 1

    def observe(self, acc):
        m = self.model
        r = self.region
        acc.present += 1
        row = acc.rows[r]
        phase = self.phase
        if WAITING in phase:
            waiting = m.waiting_by_region[r]
            for i in range(SERVICES):
                if phase[i] == WAITING:
                    waiting[i] += 1
        if self.adult:
            row["adults"] += 1
            row["language"] += self.language
            row["bridges"] += self.bridges
        job = self.job
        if job is not None:
            row["employed_by_tier"][job] += 1
            row["earnings_by_tier"][job] += self.gross
        if self.age >= m.earnings.retirement_age:
            pension = self.points * m.earnings.pension_per_point_week
            row["pensions"] += pension
            if self.legal in REFUGEE:
                row["pensions"] += max(m.earnings.old_age_minimum_week - pension, 0.0)
        if self.grew_up_here and self.working_age:
            row["second_generation"] += 1
            if job is not None:
                row["second_generation_employed"] += 1
        if self.legal in REFUGEE and self.working_age:
            row["working_age_refugees"] += 1
            if job is not None:
                row["employed_refugees"] += 1
                if job < self.skill:
                    row["underemployed"] += 1
            if acc.week >= self.arrival_week + THREE_YEARS:
                row["wa_3y"] += 1
                if job is not None:
                    row["employed_3y"] += 1


# ------------------------------------------------------------------ model


class Region:
    """Model-level state of one region (foresight's RegionState)."""

    def __init__(self, spec, model):
        self.reception_capacity = model.agents_of(spec["reception_places"])
        self.reception_used = 0
        self.emergency_queue = deque()
        self.jobs = list(tiers(spec["jobs"]))
        self.attitude = spec["attitude"]
        self.attitude_start = spec["attitude"]
        self.seats = [model.agents_of(spec["services"][n]["seats"]) for n in SERVICE_NAMES]
        self.in_service = [0] * SERVICES
        self.service_queue = [deque() for _ in range(SERVICES)]
        self.allocated = 0.0
        self.added = [0] * len(model.policy["adaptive_capacity"])
        self.orders = []  # (rule, opens_week)
        self.reception_ordered = 0
        self.seats_ordered = [0] * SERVICES
        sc = spec["schools"]
        self.school_places = [sc["primary_places"], sc["secondary_places"]]
        self.pupils = [0, 0]
        self.school_waiting = [0, 0]
        self.school_queue = [deque(), deque()]


class Observation:
    """One week's sums by region, filled by the agents' observe methods."""

    def __init__(self, regions, week):
        self.week = week
        self.present = 0
        self.rows = [
            {
                "status": [0] * LEGAL_STATUSES,
                "households": 0,
                "reception": 0,
                "emergency": 0,
                "mainstream": 0,
                "overcrowded": 0,
                "overcrowded_households": 0,
                "homeless": 0,
                "homeless_refugees": 0,
                "adults": 0,
                "language": 0.0,
                "bridges": 0.0,
                "employed_by_tier": [0, 0, 0],
                "earnings_by_tier": [0.0, 0.0, 0.0],
                "benefits": 0.0,
                "on_benefits": 0,
                "pensions": 0.0,
                "working_age_refugees": 0,
                "employed_refugees": 0,
                "underemployed": 0,
                "wa_3y": 0,
                "employed_3y": 0,
                "second_generation": 0,
                "second_generation_employed": 0,
            }
            for _ in range(regions)
        ]


def ratio(num, den):
    return num / den if den > 0 else math.nan


class ForesightPeer(LifeCourse, StatusAndHousing, Accounts, mesa.Model):
    """One replication of a scenario: regions, households and persons, one
    weekly step of the processes of src/model/mod.rs."""

    Household = Household
    Person = Person

    def __init__(self, scenario, seed=None):
        super().__init__(seed=seed)
        s = scenario
        self.s = s
        self.scale = float(s["scale"])
        self.week = 0
        self.policy = s["policy"]
        self.labour = s["labour_market"]
        self.integration = s["integration"]
        self.school_gains = s["schools"]
        specs = s["regions"]
        self.nr = len(specs)
        self.population = [float(r["population"]) for r in specs]
        total_pop = sum(self.population)
        self.population_share = [p / total_pop for p in self.population]
        job_total = sum(sum(tiers(r["jobs"])) for r in specs)
        self.municipal_quota = [
            0.5 * (p + (sum(tiers(r["jobs"])) / job_total if job_total > 0 else p))
            for r, p in zip(specs, self.population_share)
        ]
        groups = s["arrivals"]["origin_groups"]
        self.groups = groups
        self.ng = len(groups)
        self.household_cdf = []
        self.mean_household = []
        for g in groups:
            acc, mean, cdf = 0.0, 0.0, []
            for k, w in enumerate(g["household_sizes"]):
                acc += w
                mean += (k + 1) * w
                cdf.append(acc)
            self.household_cdf.append(cdf)
            self.mean_household.append(max(mean, 1.0))
        self.group_shares = [g["share"] / m for g, m in zip(groups, self.mean_household)]
        names = [r["name"] for r in specs]
        sponsor = self.policy["community_sponsorship"]
        chosen = (
            [names.index(n) for n in sponsor["regions"] if n in names]
            if sponsor["regions"]
            else list(range(self.nr))
        )
        acc = 0.0
        self.sponsor_regions = []
        for r in chosen:
            acc += self.population[r]
            self.sponsor_regions.append((r, acc))
        self.services = [s["services"][n] for n in SERVICE_NAMES]

        # Parameters read every week, looked up once.
        pol = self.policy
        self.depart_rate = s["asylum"]["rejected_departure_rate_per_week"]
        self.move_on_period = pol["move_on"]["period_weeks"]
        self.move_on_support = pol["move_on"]["support"]
        sm = s["secondary_movement"]
        self.move_rate = sm["rate_per_week"]
        self.job_pull = sm["job_pull"]
        self.move_network_pull = sm["network_pull"]
        self.residence_rule = pol["residence_rule_weeks"]
        self.day_one = pol["integration_from_day_one"]
        self.coverage = pol["intensive_coaching"]["coverage"]
        uplift = 1.0 + pol["nudges"]["take_up_uplift"] if pol["nudges"]["enabled"] else 1.0
        self.take_up = [min(sv["take_up_per_week"] * uplift, 1.0) for sv in self.services]
        self.early_access = pol["early_work_access_weeks"]
        self.tier_language_threshold = self.labour["tier_language_threshold"]
        self.base_hazard = tiers(self.labour["base_job_finding_per_week"])
        self.coaching_multiplier = pol["intensive_coaching"]["job_finding_multiplier"]
        self.mentoring_multiplier = pol["mentoring"]["job_finding_multiplier"]
        self.automation = [weekly_automation(a) for a in tiers(self.labour["automation_annual_rate"])]
        self.homeless_factor = s["housing"]["homeless_activity_factor"]
        self.subsidiary_factor = s["legal_status"]["subsidiary_take_up_factor"]
        self.parents_work_effect = s["second_generation"]["parents_work_effect"]

        self.regions = [Region(spec, self) for spec in specs]
        self.init_life(s)
        self.init_status(s)
        self.init_accounts(s)
        self.new_households = []
        self.backlog = deque()
        self.credit = 0.0
        self.mentoring_credit = 0.0
        # Flows of the week, reset by the drivers.
        self.reset_flows()
        # Tallies from the last observation (persons), read by the next week.
        self.by_origin = [[0.0] * self.ng for _ in range(self.nr)]
        self.origin_total = [0.0] * self.ng
        self.emergency_waiting = [0.0] * self.nr
        self.homeless_by_region = [0.0] * self.nr
        self.sponsored_by_region = [0.0] * self.nr
        self.bridges_by_region = [0.0] * self.nr
        self.waiting_by_region = [[0.0] * SERVICES for _ in range(self.nr)]
        # Run totals.
        self.total_started = [[0] * SERVICES for _ in range(self.nr)]
        self.total_wait = [[0] * SERVICES for _ in range(self.nr)]
        self.school_started_total = 0
        self.school_wait_total = 0
        self.discounted = 0.0
        self.agent_weeks = 0
        self.departed_persons = 0
        self.deceased = 0

        self.datacollector = mesa.DataCollector(
            model_reporters={
                "arrivals": "arrivals_now",
                "asylum_backlog": "asylum_backlog",
                "emergency_accommodation": "emergency_now",
                "homeless": "homeless_now",
                "homeless_refugees": "homeless_refugees_now",
                "refugees": "refugees_now",
                "present": "present_now",
                "employment_rate": "employment_rate",
                "employment_rate_3y_plus": "employment_rate_3y_plus",
                "underemployment_rate": "underemployment_rate",
                "mean_language": "mean_language",
                "attitude": lambda m: sum(
                    r.attitude * p for r, p in zip(m.regions, m.population_share)
                ),
                "attitude_min_region": lambda m: min(r.attitude for r in m.regions),
                "cost": "cost_now",
                "contributions": "contributions_now",
                "school_waiting": lambda m: sum(sum(r.school_waiting) for r in m.regions),
                "reunion_arrivals": lambda m: sum(m.reunion_arrivals_flow),
                "reunion_backlog": lambda m: sum(m.reunion_backlog),
                "overcrowded_households": "overcrowded_households_now",
                "second_generation_employment_rate": "second_generation_employment_rate",
                "cumulative_discounted_balance": "discounted",
            }
        )

        # The asylum backlog present at the start, dispersed but not an arrival.
        target = s["asylum"]["initial_backlog"]
        persons = 0.0
        while persons < target:
            g = self.draw_index(self.group_shares)
            persons += self.spawn_household(g, ASYLUM, 0).size
        self.dispersal()
        self.reset_flows()

    # -------------------------------------------------------------- helpers

    def agents_of(self, persons):
        """A capacity in persons as agents (the peer runs at scale 1)."""
        return max(round_half_away(persons / self.scale), 0)

    def poisson(self, mean):
        return int(self.rng.poisson(mean)) if mean > 0.0 else 0

    def draw_index(self, weights, total=None):
        if total is None:
            total = sum(weights)
        u = self.random.random() * total
        for i, w in enumerate(weights):
            if u < w:
                return i
            u -= w
        return max((i for i, w in enumerate(weights) if w > 0.0), default=0)

    def by_weight(self, weight):
        """A region drawn with probability proportional to weight(region)."""
        ws = [weight(r) for r in range(self.nr)]
        total = sum(ws)
        if total <= 0.0:
            return self.by_weight(lambda r: self.population_share[r])
        return self.draw_index(ws, total)

    def reset_flows(self):
        nr = self.nr
        self.arrivals_flow = [0] * nr
        self.decisions_flow = [0] * nr
        self.appeal_decisions_flow = [0] * nr
        self.removals_flow = [0] * nr
        self.recognitions_flow = [0] * nr
        self.started = [[0] * SERVICES for _ in range(nr)]
        self.wait_sum = [[0] * SERVICES for _ in range(nr)]
        self.births_flow = [0] * nr
        self.deaths_flow = [0] * nr
        self.households_formed_flow = [0] * nr
        self.reunion_arrivals_flow = [0] * nr
        self.school_started_flow = [0] * nr
        self.school_wait_flow = [0] * nr
        self.housed_flow = [0] * nr
        self.mentored_flow = [0] * nr
        self.sponsored_flow = [0] * nr

    def spawn_person(self, h, group, role, age, week, labour, born_here):
        """One person of a household, their traits drawn as
        src/model/family.rs: spawn_person draws them. Returns the person and
        whether they arrive employed."""
        rnd = self.random.random
        g = self.groups[group]
        adult, working_age, _ = stage(age, self.life.d)
        if adult:
            u = rnd()
            skills = g["skills"]
            skill = LOW if u < skills["low"] else (MID if u < skills["low"] + skills["mid"] else HIGH)
        else:
            skill = LOW
        literate = rnd() < g["literacy"]
        vulnerable = rnd() < g["vulnerability"]
        coaching_draw = rnd()
        rnd()  # work_draw: read only for persons who are not agents (scale > 1)
        working = labour and working_age
        p = Person(
            self, h, role, age, skill, literate or born_here, vulnerable and not born_here,
            coaching_draw, 0.0 if born_here else g["initial_language"],
            skill if working else None, labour, week,
        )
        return p, working

    def spawn_household(self, group, channel, week):
        """A household of an origin group and its members: roles and ages
        (src/model/family.rs: draw_makeup), a family abroad for a single
        adult seeking asylum, then the members."""
        rnd = self.random.random
        cdf = self.household_cdf[group]
        u = rnd() * cdf[-1]
        size = next((k for k, c in enumerate(cdf) if u < c), len(cdf) - 1) + 1
        if channel == ASYLUM:
            legal, housing = ASYLUM_SEEKER, RECEPTION
        elif channel in (RESETTLEMENT, SPONSORSHIP):
            legal, housing = RESETTLED, MAINSTREAM
        else:
            legal, housing = RESIDENT, MAINSTREAM
        makeup = self.life.draw_makeup(rnd, group, size)
        h = Household(self, size, group, channel, legal, housing, week)
        if size == 1 and channel == ASYLUM:
            if rnd() < self.life.abroad_share[group]:
                sizes = self.life.abroad_sizes[group]
                u = rnd() * sizes[-1]
                h.reunion = ABROAD
                h.reunion_members = next((k for k, c in enumerate(sizes) if u < c), len(sizes) - 1) + 1
                self.abroad.append(h)
        labour = channel == LABOUR
        for role, age in makeup:
            p, working = self.spawn_person(h, group, role, age, week, labour, False)
            h.employed += working
            h.members.append(p)
        self.new_households.append(h)
        return h

    # -------------------------------------------------------------- the week

    def step(self):
        week = self.week
        self.drivers(week)
        self.ageing(week)
        self.arrivals(week)
        self.dispersal()
        self.family_reunion(week)
        self.births(week)
        self.deaths(week)
        self.leaving_home(week)
        self.asylum_decisions(week)
        self.appeals(week)
        self.removals(week)
        self.moving_on(week)
        self.housing_market(week)
        self.secondary_movement(week)
        self.residence()
        self.services_step(week)
        self.schools(week)
        self.integration_step(week)
        self.labour_market(week)
        self.observe(week)
        self.accounts(week)
        self.datacollector.collect(self)
        self.week += 1

    # 1. Drivers: automation and shocks, attitudes, adaptive capacity.
    def drivers(self, week):
        s = self.s
        a = s["attitudes"]
        shocks = self.labour["shocks"]
        for r, region in enumerate(self.regions):
            for t in range(TIERS):
                region.jobs[t] *= 1.0 - self.automation[t]
            for shock in shocks:
                if shock["start_week"] == week:
                    loss = tiers(shock["job_loss_share"])
                    for t in range(TIERS):
                        region.jobs[t] *= 1.0 - loss[t]
            if s["feedback"]["attitude"]:
                capacity = max(region.reception_capacity, 1.0)
                overload = (self.emergency_waiting[r] + self.homeless_by_region[r]) / capacity
                per_1000 = self.arrivals_flow[r] / self.population[r] * 1000.0
                sponsored = self.sponsored_by_region[r] / self.population[r] * 100_000.0
                bridges = self.bridges_by_region[r] / self.population[r] * 100_000.0
                change = (
                    -a["overload_sensitivity"] * overload
                    - a["arrivals_sensitivity"] * per_1000
                    + a["contact_gain"] * sponsored
                    + a["bridges_contact_gain"] * bridges
                    + a["reversion_rate"] * (region.attitude_start - region.attitude)
                )
                region.attitude = min(max(region.attitude + change, 0.0), 1.0)

            region.reception_ordered = 0
            region.seats_ordered = [0] * SERVICES
            rules = self.policy["adaptive_capacity"]
            due = [o for o in region.orders if o[1] <= week]
            region.orders = [o for o in region.orders if o[1] > week]
            for k, _ in due:
                self.open_places(region, rules[k])
            for k, rule in enumerate(rules):
                sv = self.capacity_service(rule["target"])
                watched = self.emergency_waiting[r] if sv is None else self.waiting_by_region[r][sv]
                pending = any(o[0] == k for o in region.orders)
                room = region.added[k] + rule["step"] <= rule["max_added"]
                if watched > rule["trigger"] and not pending and room:
                    region.added[k] += rule["step"]
                    if sv is None:
                        region.reception_ordered += rule["step"]
                    else:
                        region.seats_ordered[sv] += rule["step"]
                    if rule["lead_time_weeks"] == 0:
                        self.open_places(region, rule)
                    else:
                        region.orders.append((k, week + rule["lead_time_weeks"]))
        self.reset_flows()

    @staticmethod
    def capacity_service(target):
        return None if target == "reception" else SERVICE_NAMES.index(target)

    def open_places(self, region, rule):
        step = max(self.agents_of(rule["step"]), 1)
        sv = self.capacity_service(rule["target"])
        if sv is None:
            region.reception_capacity += step
        else:
            region.seats[sv] += step

    # 2. Arrivals: a Poisson number of households around the week's rate.
    def expected_rate(self, week):
        a = self.s["arrivals"]
        trend = (1.0 + a["annual_trend"]) ** (week / 52.0)
        phase = 2.0 * math.pi * (week - a["seasonality"]["peak_week"]) / 52.0
        season = 1.0 + a["seasonality"]["amplitude"] * math.cos(phase)
        surge = 1.0
        for x in a["surges"]:
            start, length, ramp = x["start_week"], x["length_weeks"], x["ramp_weeks"]
            if start <= week < start + length:
                shape = 1.0 if ramp == 0 else min((week - start + 1) / ramp, (start + length - week) / ramp, 1.0)
                surge += (x["peak_multiplier"] - 1.0) * shape
        return a["weekly_rate"] * trend * season * max(surge, 0.0)

    def origin_mix(self, week):
        mix = [g["share"] for g in self.groups]
        for x in self.s["arrivals"]["surges"]:
            if x["start_week"] <= week < x["start_week"] + x["length_weeks"] and x["origin_mix"]:
                mix = [0.0] * self.ng
                names = [g["name"] for g in self.groups]
                for m in x["origin_mix"]:
                    if m["group"] in names:
                        mix[names.index(m["group"])] = m["share"]
                break
        return mix

    def arrivals(self, week):
        self.new_households = []
        mix = self.origin_mix(week)
        persons_total = sum(mix)
        # Shares are of persons: households are drawn by share / mean size.
        mix = [m / size for m, size in zip(mix, self.mean_household)]
        mix_total = sum(mix)
        per_person = mix_total / max(persons_total, sys.float_info.min)
        ch = self.s["arrivals"]["channels"]
        channels = (ch["asylum"], ch["resettlement"], ch["family"], ch["labour"])
        for _ in range(self.poisson(self.expected_rate(week) * per_person)):
            group = self.draw_index(mix, mix_total)
            channel = (ASYLUM, RESETTLEMENT, FAMILY, LABOUR)[self.draw_index(channels, 1.0)]
            self.spawn_household(group, channel, week)
        sponsored = self.policy["community_sponsorship"]["households_per_year"]
        for _ in range(self.poisson(sponsored / 52.0)):
            group = self.draw_index(self.group_shares)
            self.spawn_household(group, SPONSORSHIP, week)

    # 3. Dispersal.
    def free_choice(self, group):
        d = self.policy["dispersal"]
        total = self.origin_total[group]

        def weight(r):
            urban = d["urban_pull"] if self.s["regions"][r]["urban"] else 1.0
            share = self.by_origin[r][group] / total if total > 0.0 else 0.0
            return self.population_share[r] * urban * (1.0 + d["network_pull"] * 100.0 * share)

        return self.by_weight(weight)

    def asylum_region(self, h):
        rule = self.policy["dispersal"]["rule"]
        if rule == "population_share":
            return self.by_weight(lambda r: self.population_share[r])
        if rule == "quota_key":
            return self.by_weight(lambda r: self.s["regions"][r]["dispersal_weight"])
        if rule == "reception_capacity":
            def free(r):
                reg = self.regions[r]
                f = max(reg.reception_capacity - reg.reception_used, 0)
                return float(f) if f >= h.size else 0.0

            if any(free(r) > 0.0 for r in range(self.nr)):
                return self.by_weight(free)
            return self.by_weight(lambda r: self.population_share[r])
        if rule == "municipal_quota":
            total = sum(reg.allocated for reg in self.regions) + h.size
            gaps = [q * total - reg.allocated for q, reg in zip(self.municipal_quota, self.regions)]
            return gaps.index(max(gaps))
        return self.free_choice(h.origin)

    def dispersal(self):
        # Emergency accommodation to freed reception places, first come first served.
        for region in self.regions:
            q = region.emergency_queue
            while q:
                h = q[0]
                if h.legal not in AWAITING_DECISION or h.housing != EMERGENCY:
                    q.popleft()
                    continue
                if region.reception_used + h.size > region.reception_capacity:
                    break
                region.reception_used += h.size
                h.housing = RECEPTION
                q.popleft()
        for h in self.new_households:
            if h.channel == ASYLUM:
                r = self.asylum_region(h)
            elif h.channel == RESETTLEMENT:
                r = self.by_weight(lambda r: self.population_share[r])
            elif h.channel == SPONSORSHIP:
                u = self.random.random() * self.sponsor_regions[-1][1]
                r = next((x[0] for x in self.sponsor_regions if u < x[1]), self.sponsor_regions[0][0])
            else:
                r = self.free_choice(h.origin)
            h.region = r
            self.arrivals_flow[r] += h.size
            if h.channel == SPONSORSHIP:
                self.sponsored_flow[r] += h.size
            if h.channel == ASYLUM:
                region = self.regions[r]
                region.allocated += h.size
                if region.reception_used + h.size <= region.reception_capacity:
                    region.reception_used += h.size
                    h.housing = RECEPTION
                else:
                    h.housing = EMERGENCY
                    region.emergency_queue.append(h)
                self.backlog.append(h)

    # 6. Secondary movement.
    def secondary_movement(self, week):
        if self.move_rate <= 0.0 or self.nr < 2:
            return
        self.agents_by_type[Household].select(lambda h: h.may_move(week)).do("consider_moving", week)

    # 7. Residence; persons and households who left the country leave the model.
    def residence(self):
        persons = self.agents_by_type[Person]
        persons.do("take_residence")
        for p in persons.select(lambda p: p.legal == DEPARTED):
            self.departed_persons += 1
            p.gone = True
            p.remove()
        for h in self.agents_by_type[Household].select(lambda h: h.legal == DEPARTED):
            h.gone = True
            h.remove()

    def services_step(self, week):
        self.agents_by_type[Person].do("use_services", week)
        pol = self.policy
        fast = pol["credential_fast_track"]["duration_factor"] if pol["credential_fast_track"]["enabled"] else 1.0
        for r, region in enumerate(self.regions):
            for i in range(SERVICES):
                q = region.service_queue[i]
                while region.in_service[i] < region.seats[i] and q:
                    p, joined = q.popleft()
                    if p.region != r or p.phase[i] != WAITING or p.since[i] != joined:
                        continue  # left the list (moved or departed)
                    length = self.draw_length(self.services[i], fast if i == CREDENTIAL else 1.0)
                    p.phase[i] = IN_SERVICE
                    p.since[i] = week + length
                    region.in_service[i] += 1
                    self.started[r][i] += 1
                    self.wait_sum[r][i] += week - joined
                    if i == COACHING:
                        p.coached = True

    def draw_length(self, settings, factor):
        mean = max(settings["duration_weeks"] * factor, 1.0)
        if settings["duration"] == "fixed":
            return round_half_away(mean)
        q = 1.0 / mean
        if q >= 1.0:
            return 1
        u = 1.0 - self.random.random()
        return int(min(max(math.ceil(math.log(u) / math.log(1.0 - q)), 1), 10_000))

    # 9. Integration.
    def integration_step(self, week):
        self.agents_by_type[Person].do("integrate", week)

    # 10. Labour market: hazards summed, scaled to the vacancies, then drawn.
    def labour_market(self, week):
        lm = self.labour
        persons = self.agents_by_type[Person]
        self.demand = [[0.0] * TIERS for _ in range(self.nr)]
        self.mentor_eligible = 0.0
        persons.do("seek_work", week)
        hiring = 1.0
        shock_loss = [0.0] * TIERS
        for shock in lm["shocks"]:
            if shock["start_week"] <= week < shock["start_week"] + shock["length_weeks"]:
                hiring *= shock["hiring_multiplier"]
            if week == shock["start_week"]:
                loss = tiers(shock["job_loss_share"])
                shock_loss = [1.0 - (1.0 - a) * (1.0 - b) for a, b in zip(shock_loss, loss)]
        vacancy_rate = tiers(lm["vacancy_rate_per_week"])
        for r, d in enumerate(self.demand):
            for t in range(TIERS):
                vacancies = (
                    self.regions[r].jobs[t] * vacancy_rate[t] * lm["newcomer_vacancy_share"] * hiring / self.scale
                )
                d[t] = vacancies / d[t] if d[t] > vacancies else 1.0
        m = self.policy["mentoring"]
        yearly = m["pairs_per_year"] / self.scale
        self.mentoring_credit = min(self.mentoring_credit + yearly / 52.0, yearly)
        self.mentor_p = (
            min(self.mentoring_credit / self.mentor_eligible, 1.0) if self.mentor_eligible > 0.0 else 0.0
        )
        self.mentor_until = week + m["duration_weeks"]
        self.mentored = 0.0
        job_loss = tiers(lm["job_loss_per_week"])
        self.job_loss = [
            1.0 - (1.0 - job_loss[t]) * (1.0 - self.automation[t]) * (1.0 - shock_loss[t]) for t in range(TIERS)
        ]
        persons.do("work", week)
        self.mentoring_credit = max(self.mentoring_credit - self.mentored, 0.0)

    # 11. Observation: the week's indicators and the tallies next week reads.
    def observe(self, week):
        self.by_origin = [[0.0] * self.ng for _ in range(self.nr)]
        self.origin_total = [0.0] * self.ng
        self.emergency_waiting = [0.0] * self.nr
        self.homeless_by_region = [0.0] * self.nr
        self.sponsored_by_region = [0.0] * self.nr
        self.waiting_by_region = [[0.0] * SERVICES for _ in range(self.nr)]
        acc = Observation(self.nr, week)
        self.agents_by_type[Household].do("observe", acc)
        self.agents_by_type[Person].do("observe", acc)
        self.agent_weeks += acc.present
        self.obs = acc
        rows = acc.rows
        for r in range(self.nr):
            for i in range(SERVICES):
                self.total_started[r][i] += self.started[r][i]
                self.total_wait[r][i] += self.wait_sum[r][i]
        self.school_started_total += sum(self.school_started_flow)
        self.school_wait_total += sum(self.school_wait_flow)
        self.bridges_by_region = [row["bridges"] for row in rows]

        def national(key):
            return sum(row[key] for row in rows)

        self.arrivals_now = sum(self.arrivals_flow)
        self.asylum_backlog = sum(row["status"][ASYLUM_SEEKER] for row in rows)
        self.emergency_now = national("emergency")
        self.homeless_now = national("homeless")
        self.homeless_refugees_now = national("homeless_refugees")
        self.refugees_now = sum(
            row["status"][RECOGNISED] + row["status"][SUBSIDIARY] + row["status"][RESETTLED] for row in rows
        )
        self.present_now = acc.present
        self.overcrowded_households_now = national("overcrowded_households")
        wa = national("working_age_refugees")
        emp = national("employed_refugees")
        self.employment_rate = ratio(emp, wa)
        self.underemployment_rate = ratio(national("underemployed"), emp)
        self.employment_rate_3y_plus = ratio(national("employed_3y"), national("wa_3y"))
        self.mean_language = ratio(national("language"), national("adults"))
        self.second_generation_employment_rate = ratio(
            national("second_generation_employed"), national("second_generation")
        )

    # -------------------------------------------------------------- results

    def headline(self):
        """The headline indicators of foresight's HEADLINES, from the collected series."""
        df = self.datacollector.get_model_vars_dataframe()
        share = [
            hr / d if d > 0 else math.nan for hr, d in zip(df["homeless_refugees"], df["refugees"])
        ]
        shares = [x for x in share if not math.isnan(x)]

        def peak(col):
            return max(0.0, float(df[col].max()))

        started = sum(row[LANGUAGE] for row in self.total_started)
        waited = sum(row[LANGUAGE] for row in self.total_wait)
        worst = [
            self.total_wait[r][LANGUAGE] / self.total_started[r][LANGUAGE]
            for r in range(self.nr)
            if self.total_started[r][LANGUAGE] > 0
        ]
        last = df.iloc[-1]
        return {
            "arrivals_total": float(df["arrivals"].sum()),
            "asylum_backlog_final": float(last["asylum_backlog"]),
            "asylum_backlog_peak": peak("asylum_backlog"),
            "emergency_accommodation_peak": peak("emergency_accommodation"),
            "homeless_peak": peak("homeless"),
            "homeless_refugees_peak": peak("homeless_refugees"),
            "homeless_share_of_refugees_final": share[-1],
            "homeless_share_of_refugees_peak": max(shares) if shares else math.nan,
            "language_wait_mean_weeks": waited / started if started > 0 else math.nan,
            "language_wait_worst_region_weeks": max(worst) if worst else math.nan,
            "employment_rate_final": float(last["employment_rate"]),
            "employment_rate_3y_plus_final": float(last["employment_rate_3y_plus"]),
            "underemployment_rate_final": float(last["underemployment_rate"]),
            "mean_language_final": float(last["mean_language"]),
            "attitude_final": float(last["attitude"]),
            "attitude_min_region_final": float(last["attitude_min_region"]),
            "total_cost": float(df["cost"].sum()),
            "total_contributions": float(df["contributions"].sum()),
            "school_waiting_peak": peak("school_waiting"),
            "school_wait_mean_weeks": ratio(self.school_wait_total, self.school_started_total),
            "reunion_arrivals_total": float(df["reunion_arrivals"].sum()),
            "reunion_backlog_final": float(last["reunion_backlog"]),
            "overcrowded_households_peak": peak("overcrowded_households"),
            "second_generation_employment_rate_final": float(last["second_generation_employment_rate"]),
            "cumulative_discounted_balance": float(last["cumulative_discounted_balance"]),
        }


def run_replication(scenario, seed):
    """One replication: the model built, stepped over the horizon, its headline."""
    model = ForesightPeer(scenario, seed=seed)
    for _ in range(scenario["horizon_weeks"]):
        model.step()
    return model


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario")
    ap.add_argument("-n", "--replications", type=int, default=None)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--horizon", type=int, default=None, help="weeks (default: the file's)")
    ap.add_argument("--out", help="headline CSV to write (foresight's headline.csv columns)")
    args = ap.parse_args(argv)
    scenario = load_scenario(args.scenario)
    if args.horizon is not None:
        scenario["horizon_weeks"] = args.horizon
    n = args.replications or scenario["replications"]
    seed = scenario["seed"] if args.seed is None else args.seed
    rows = []
    person_weeks = 0.0
    cpu = wall = 0.0
    for rep in range(n):
        # A distinct, reproducible seed per replication.
        rep_seed = seed * 1_000_003 + rep
        c0, w0 = time.process_time(), time.perf_counter()
        model = run_replication(scenario, rep_seed)
        head = model.headline()
        cpu += time.process_time() - c0
        wall += time.perf_counter() - w0
        person_weeks += model.agent_weeks * model.scale
        rows.append({"replication": rep, "seed": rep_seed, **head})
        print(
            f"replication {rep}: {model.agent_weeks * model.scale:.3e} person-weeks "
            f"in {time.process_time() - c0:.1f} s CPU",
            file=sys.stderr,
            flush=True,
        )
    if args.out:
        with open(args.out, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=["replication", "seed", *HEADLINES])
            w.writeheader()
            for row in rows:
                w.writerow({k: ("" if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()})
    for name in HEADLINES:
        vals = [r[name] for r in rows if not math.isnan(r[name])]
        mean = sum(vals) / len(vals) if vals else math.nan
        print(f"  {name:34s} {mean:14.6g}")
    print(
        f"mesa {mesa.__version__}: {person_weeks:.3e} person-weeks in {cpu:.2f} s CPU, {wall:.2f} s wall "
        f"({person_weeks / cpu:.3e} person-weeks/s per core CPU, {person_weeks / wall:.3e} wall)"
    )


if __name__ == "__main__":
    main()
