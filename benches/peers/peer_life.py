"""The life course of the Mesa peer: ages, life stages and the year's events
(ageing), births, deaths, young adults leaving home, family reunion and
schools, as `src/model/ageing.rs`, `births.rs`, `deaths.rs`,
`leaving_home.rs`, `family_reunion.rs`, `schools.rs` and their shared rules
(`family.rs`, `life.rs`, `life_table.rs`) define them.

`LifeCourse` is mixed into the model (`ForesightPeer`): its methods are the
weekly processes 1a, 3a-3d and 8a. `PersonLife` is mixed into `Person`: the
yearly birthday, run over every person with `AgentSet.do`.
"""

from __future__ import annotations

import heapq
import math
from collections import deque

from peer_vocab import (
    ABROAD,
    APPLIED,
    ASYLUM_SEEKER,
    CHILD,
    DEPARTED,
    EMERGENCY,
    ENROLLED,
    GONE,
    HAS_STATUS,
    HEAD,
    HIGH,
    IN_SERVICE,
    LONE_PARENT,
    LOW,
    MAINSTREAM,
    MAX_AGE,
    MAX_HOUSEHOLD_SIZE,
    MAY_BEAR_CHILDREN,
    MID,
    NEVER,
    NO_CLASS,
    NO_SCHOOL,
    NOT_YET,
    NOWHERE,
    OUT,
    OVERCROWDED,
    PARTNER,
    PRIMARY,
    RECEPTION,
    RECOGNISED,
    RELATIVE,
    REUNITED,
    SCHOOL_WAITING,
    SECONDARY,
    SERVICES,
    SETTLED_HOUSING,
    SUBSIDIARY,
    WAITING,
    geometric_weeks,
    size_class,
)

# Destatis, Sterbetafel 2016/2018 (S20): (male, female) q(x) for x = 0 ... 100,
# copied from src/model/life_table.rs. The model uses their mean; ages above
# 100 keep the probability at 100.
DESTATIS_2016_2018 = (
    (0.00356226, 0.00300534),  # 0
    (0.00027641, 0.00024794),  # 1
    (0.00015611, 0.00012423),  # 2
    (0.00010894, 0.00010313),  # 3
    (0.00010653, 0.00009569),  # 4
    (0.00010046, 0.00008908),  # 5
    (0.00009091, 0.00008846),  # 6
    (0.00008614, 0.00004646),  # 7
    (0.00008552, 0.00006968),  # 8
    (0.00008001, 0.00006117),  # 9
    (0.00007924, 0.00005849),  # 10
    (0.00007740, 0.00007733),  # 11
    (0.00006884, 0.00007852),  # 12
    (0.00009588, 0.00009421),  # 13
    (0.00013566, 0.00009221),  # 14
    (0.00015987, 0.00012167),  # 15
    (0.00024747, 0.00014725),  # 16
    (0.00027475, 0.00013616),  # 17
    (0.00038318, 0.00019702),  # 18
    (0.00039767, 0.00017479),  # 19
    (0.00043184, 0.00018488),  # 20
    (0.00040526, 0.00016490),  # 21
    (0.00045366, 0.00016281),  # 22
    (0.00040954, 0.00017996),  # 23
    (0.00047486, 0.00017994),  # 24
    (0.00043792, 0.00019022),  # 25
    (0.00045886, 0.00018820),  # 26
    (0.00046183, 0.00021518),  # 27
    (0.00048486, 0.00023564),  # 28
    (0.00052165, 0.00025877),  # 29
    (0.00056139, 0.00031713),  # 30
    (0.00061587, 0.00031400),  # 31
    (0.00063400, 0.00034263),  # 32
    (0.00073168, 0.00036033),  # 33
    (0.00076954, 0.00040600),  # 34
    (0.00080225, 0.00041213),  # 35
    (0.00085947, 0.00045850),  # 36
    (0.00097983, 0.00047466),  # 37
    (0.00106768, 0.00060325),  # 38
    (0.00111397, 0.00060115),  # 39
    (0.00123774, 0.00068570),  # 40
    (0.00133379, 0.00074026),  # 41
    (0.00144076, 0.00079376),  # 42
    (0.00153974, 0.00090807),  # 43
    (0.00179800, 0.00097058),  # 44
    (0.00195870, 0.00115224),  # 45
    (0.00217916, 0.00121751),  # 46
    (0.00236791, 0.00137030),  # 47
    (0.00265551, 0.00159405),  # 48
    (0.00297126, 0.00174807),  # 49
    (0.00332421, 0.00185320),  # 50
    (0.00370198, 0.00214270),  # 51
    (0.00414072, 0.00233297),  # 52
    (0.00469739, 0.00256767),  # 53
    (0.00531626, 0.00288870),  # 54
    (0.00591257, 0.00324545),  # 55
    (0.00658737, 0.00357696),  # 56
    (0.00733233, 0.00392413),  # 57
    (0.00815644, 0.00434941),  # 58
    (0.00893714, 0.00470636),  # 59
    (0.00983124, 0.00527596),  # 60
    (0.01082143, 0.00568588),  # 61
    (0.01194124, 0.00613444),  # 62
    (0.01297814, 0.00674890),  # 63
    (0.01425244, 0.00747267),  # 64
    (0.01542111, 0.00797044),  # 65
    (0.01660601, 0.00876211),  # 66
    (0.01799621, 0.00948222),  # 67
    (0.01918012, 0.01046567),  # 68
    (0.02109939, 0.01155460),  # 69
    (0.02230277, 0.01259879),  # 70
    (0.02463940, 0.01370178),  # 71
    (0.02618392, 0.01481358),  # 72
    (0.02874623, 0.01641616),  # 73
    (0.03108519, 0.01784317),  # 74
    (0.03362174, 0.01923138),  # 75
    (0.03717284, 0.02156594),  # 76
    (0.04069575, 0.02379649),  # 77
    (0.04546946, 0.02744802),  # 78
    (0.05046754, 0.03141447),  # 79
    (0.05642286, 0.03646149),  # 80
    (0.06453153, 0.04267387),  # 81
    (0.07265536, 0.04937895),  # 82
    (0.08146408, 0.05671146),  # 83
    (0.09199371, 0.06516314),  # 84
    (0.10468035, 0.07612466),  # 85
    (0.11770793, 0.08718000),  # 86
    (0.13210410, 0.09994549),  # 87
    (0.14870369, 0.11420199),  # 88
    (0.16511242, 0.12951794),  # 89
    (0.18156323, 0.14747610),  # 90
    (0.19907849, 0.16763449),  # 91
    (0.22537725, 0.18750180),  # 92
    (0.24341906, 0.20897427),  # 93
    (0.27001486, 0.23016524),  # 94
    (0.29012650, 0.25277699),  # 95
    (0.32237412, 0.28565289),  # 96
    (0.33658486, 0.29901856),  # 97
    (0.36085453, 0.31311811),  # 98
    (0.38380214, 0.33696577),  # 99
    (0.40606396, 0.35983078),  # 100
)


def stage(age, d):
    """(adult, working_age, school level due) of an age (src/model/life.rs)."""
    if age < d["school_start_age"] or age >= d["school_leaving_age"]:
        school = NO_SCHOOL
    elif age < d["secondary_school_age"]:
        school = PRIMARY
    else:
        school = SECONDARY
    return age >= d["adult_age"], d["working_age_from"] <= age < d["retirement_age"], school


def _with_log(p):
    p = min(max(p, 0.0), 1.0)
    return p, math.log1p(-p)


class Life:
    """What the life course reads, computed once (src/model/life.rs: Life)."""

    def __init__(self, s):
        d = s["demography"]
        self.d = d
        span = max(d["fertility_to_age"] - d["fertility_from_age"], 0) + 1
        mult = d["mortality_multiplier"]
        self.death_probability = [
            min(0.5 * sum(DESTATIS_2016_2018[min(a, 100)]) * mult, 1.0) for a in range(MAX_AGE + 1)
        ]
        self.yearly_death = [_with_log(q) for q in self.death_probability]
        self.yearly_birth = _with_log(d["total_fertility_rate"] / span)
        self.yearly_leaving = _with_log(d["leaving_home_rate_per_year"])
        self.cumulative_ages = []
        self.household_types = []
        self.abroad_share = []
        self.abroad_sizes = []
        for g in s["arrivals"]["origin_groups"]:
            ap = g["age_profile"]
            bands = (
                (0, 3, ap["under_4"]),
                (4, 17, ap["from_4_to_17"]),
                (18, 24, ap["from_18_to_24"]),
                (25, 39, ap["from_25_to_39"]),
                (40, 64, ap["from_40_to_64"]),
                (65, 79, ap["from_65"]),
            )
            weight = [0.0] * (MAX_AGE + 1)
            for lo, hi, share in bands:
                for a in range(lo, hi + 1):
                    weight[a] += share / (hi - lo + 1)
            acc, cum = 0.0, [0.0]
            for w in weight:
                acc += w
                cum.append(acc)
            self.cumulative_ages.append(cum)
            t = g["household_types"]
            self.household_types.append((t["single_parent"], t["extended"]))
            share, sizes = self._abroad(g)
            self.abroad_share.append(share)
            self.abroad_sizes.append(sizes)

    @staticmethod
    def _abroad(g):
        """The share of single adults seeking asylum with a family abroad,
        and the cumulative shares of its sizes (src/model/life.rs: abroad)."""
        h = g["household_sizes"]
        single = h[0] if h else 0.0
        larger = sum(h[1:])
        sp, ex = g["household_types"]["single_parent"], g["household_types"]["extended"]
        adults = single
        for k, w in enumerate(h):
            if k == 0:
                continue
            adults += w * ((2.0 - sp) if k == 1 else (2.0 - sp + ex))
        if larger > 0.0:
            acc, sizes = 0.0, []
            for w in h[1:]:
                acc += w / larger
                sizes.append(acc)
            mean_members = sum(k * w / larger for k, w in enumerate(h) if k >= 1)
        else:
            sizes, mean_members = [1.0], 1.0
        share = 0.0
        if single > 0.0:
            share = min(g["family_abroad"]["members_per_adult"] * adults / (single * mean_members), 1.0)
        return share, sizes

    def draw_age(self, rnd, g, lo, hi):
        """An age in [lo, hi] from the group's profile (uniform if it has none there)."""
        lo = min(lo, MAX_AGE)
        hi = max(min(hi, MAX_AGE), lo)
        cum = self.cumulative_ages[g]
        a, b = cum[lo], cum[hi + 1]
        if b <= a:
            return lo + int(rnd() * (hi - lo + 1))
        u = a + rnd() * (b - a)
        # partition_point over cum[lo + 1 ..= hi + 1] of c <= u
        i = lo + 1
        while i <= hi + 1 and cum[i] <= u:
            i += 1
        return min(i - 1, hi)

    def draw_makeup(self, rnd, g, size):
        """Roles and ages of a new household's members, adults first
        (src/model/family.rs: draw_makeup)."""
        adult_age = min(self.d["adult_age"], MAX_AGE)
        oldest_child = min(max(adult_age - 1, 0), 17)
        if size <= 1:
            roles = (HEAD,)
        else:
            single_parent, extended = self.household_types[g]
            u = rnd()
            if u < single_parent:
                roles = (LONE_PARENT,)
            elif u < single_parent + extended:
                roles = (HEAD, RELATIVE) if size == 2 else (HEAD, PARTNER, RELATIVE)
            else:
                roles = (HEAD, PARTNER)
        children = max(size - len(roles), 0)
        kids, eldest = self.draw_children(rnd, g, children, oldest_child)
        base = max(adult_age, 18)
        parent_from = max(base, eldest + 15) if children > 0 else base
        adults = []
        for role in roles:
            frm = base if role == RELATIVE else parent_from
            adults.append((role, self.draw_age(rnd, g, frm, max(79, frm))))
        return adults + kids

    def draw_children(self, rnd, g, children, oldest_child):
        """`children` sons and daughters aged up to `oldest_child`, and the
        eldest's age (0 if none)."""
        kids, eldest = [], 0
        for _ in range(children):
            a = self.draw_age(rnd, g, 0, oldest_child)
            eldest = max(eldest, a)
            kids.append((CHILD, a))
        return kids, eldest

    def draw_family(self, rnd, g, members, sponsor_age):
        """A family joining its sponsor: a partner and children
        (src/model/family_reunion.rs: draw_family)."""
        adult_age = min(self.d["adult_age"], 120)
        oldest_child = min(max(adult_age - 1, 0), 17, max(sponsor_age - 15, 0))
        children = members - 1 if sponsor_age >= 15 else 0
        kids, eldest = self.draw_children(rnd, g, children, oldest_child)
        base = max(adult_age, 18)
        frm = max(base, eldest + 15) if children > 0 else base
        return [(PARTNER, self.draw_age(rnd, g, frm, max(79, frm)))] + kids


class PersonLife:
    """The person's part of ageing (mixed into `Person`)."""

    def grow_older(self, week):
        """Week 0 of a year: a year older (not in week 0 of the run), the
        stage of the age, retirement, years of childhood here; then the
        year's events drawn."""
        m = self.model
        d = m.life.d
        if week > 0:
            self.age = min(self.age + 1, MAX_AGE)
        was_adult, was_working = self.adult, self.working_age
        adult, working, school = stage(self.age, d)
        self.adult, self.working_age = adult, working
        if self.due != school:
            m.school_now.append(self)
        self.due = school
        if was_working and not working and self.job is not None:
            self.job = None
            h = self.household
            h.employed = max(h.employed - 1, 0)
        grows_up = not was_adult and adult and self.role == CHILD and self.years_here > 0
        if not adult:
            self.years_here += 1
            self.years_parents_worked += self.household.worked_this_year
        if grows_up:
            self.come_of_age(week)
        m.schedule_year(self, 0)

    def come_of_age(self, week):
        """A child who grew up here comes of age (M61): skill, credentials,
        parents' work (src/model/ageing.rs: come_of_age)."""
        m = self.model
        d = m.life.d
        rnd = m.random.random
        g = m.groups[self.origin]
        school_years = max(d["school_leaving_age"] - d["school_start_age"], 1)
        schooled = min(self.weeks_in_school(week) / (52 * school_years), 1.0)
        u = rnd()
        skills = g["skills"]
        skill = LOW if u < skills["low"] else (MID if u < skills["low"] + skills["mid"] else HIGH)
        if rnd() < schooled:
            skill = max(skill, MID)
        self.skill = skill
        self.credential_recognised = self.credential_recognised or schooled >= 0.5
        self.grew_up_here = True
        self.parents_worked = 2 * self.years_parents_worked > self.years_here

    def weeks_in_school(self, week):
        current = week - self.school_week if self.school_phase == ENROLLED else 0
        return self.weeks_done + max(current, 0)


class LifeCourse:
    """The life course's weekly processes (mixed into `ForesightPeer`)."""

    def init_life(self, s):
        self.life = Life(s)
        self.deaths_due = [[] for _ in range(52)]
        self.births_due = [[] for _ in range(52)]
        self.leaving_due = [[] for _ in range(52)]
        self.newcomers = []  # born or joined since the last ageing
        self.school_now = []  # children whose school standing may change
        self.school_later = []  # (week, n, child): asylum seekers' children
        self.school_seq = 0
        fr = s["policy"]["family_reunion"]
        self.reunion_policy = fr
        self.abroad = []  # households with a family abroad, not yet applied
        self.reunion_processing = []  # heap of (done, n, household, members, region)
        self.reunion_ready = deque()
        self.reunion_backlog = [0.0] * self.nr
        self.reunion_applications = 0
        self.reunion_admitted = 0.0

    # -------------------------------------------------------------- 1a ageing

    def schedule_year(self, p, frm):
        """Draw the rest of the year's death, birth and leaving home of a
        person, from week-of-year `frm` (src/model/ageing.rs: Draws::schedule)."""
        life = self.life
        d = life.d
        rnd = self.random.random
        weeks = 52 - frm
        part = weeks / 52.0

        def draw(yearly, bucket):
            p_year, log_stay = yearly
            prob = p_year if frm == 0 else -math.expm1(part * log_stay)
            u = rnd()
            if u < prob:
                k = int((u / prob) * weeks)
                bucket[frm + min(k, weeks - 1)].append(p)

        draw(life.yearly_death[p.age], self.deaths_due)
        if (
            p.role in MAY_BEAR_CHILDREN
            and d["fertility_from_age"] <= p.age <= d["fertility_to_age"]
            and life.yearly_birth[0] > 0.0
        ):
            draw(life.yearly_birth, self.births_due)
        if p.role == CHILD and p.age >= d["adult_age"] and life.yearly_leaving[0] > 0.0:
            draw(life.yearly_leaving, self.leaving_due)

    def ageing(self, week):
        of_year = week % 52
        if of_year != 0:
            # Last week's newcomers: arrivals, births and families joining.
            newcomers = self.newcomers
            for h in self.new_households:
                if not h.gone:
                    newcomers.extend(h.members)
            for p in newcomers:
                if not p.gone:
                    self.schedule_year(p, of_year)
            self.newcomers = []
            return
        self.newcomers = []
        self.agents_by_type[self.Household].do("note_work")
        self.agents_by_type[self.Person].do("grow_older", week)

    # -------------------------------------------------------------- shared rules

    def resized(self, h, old):
        """What a change of size does to a household's places and home
        (src/model/family.rs: resized)."""
        new = h.size
        if size_class(new) != size_class(old):
            h.housing_queue_since = NEVER
        region = self.regions[h.region]
        if h.housing == RECEPTION:
            if new < old:
                region.reception_used -= old - new
            elif new > old:
                if region.reception_used + (new - old) <= region.reception_capacity:
                    region.reception_used += new - old
                else:
                    region.reception_used -= old
                    h.housing = EMERGENCY
                    if h.legal == ASYLUM_SEEKER:
                        region.emergency_queue.append(h)
        elif h.housing == MAINSTREAM:
            if size_class(new) > size_class(old):
                h.housing = OVERCROWDED
                h.outgrown = size_class(old)
        elif h.housing == OVERCROWDED:
            if h.outgrown != NO_CLASS and size_class(new) <= h.outgrown:
                h.housing = MAINSTREAM
                h.outgrown = NO_CLASS

    def release_service_seats(self, p):
        """A person gives up their service seats and waiting lists in the
        region they live in."""
        in_service = self.regions[p.region].in_service
        phase = p.phase
        for i in range(SERVICES):
            if phase[i] == IN_SERVICE:
                in_service[i] -= 1
                phase[i] = NOT_YET
            elif phase[i] == WAITING:
                phase[i] = NOT_YET

    def release_places(self, p, h=None):
        """A person gives up service seats (in the region they live in) and a
        school place or a place on a school's list."""
        if p.region != NOWHERE:
            self.release_service_seats(p)
        if p.school_phase == ENROLLED:
            self.regions[p.school_region].pupils[p.school_level - 1] -= 1
            p.at_school = False
            if h is not None:
                h.pupils = max(h.pupils - 1, 0)
        elif p.school_phase == SCHOOL_WAITING:
            self.regions[p.school_region].school_waiting[p.school_level - 1] -= 1
        p.school_phase = OUT

    def add_members(self, h, people):
        old = h.size
        h.members.extend(people)
        h.size = len(h.members)
        self.resized(h, old)

    # -------------------------------------------------------------- 3a family reunion

    def family_reunion(self, week):
        fr = self.reunion_policy
        rnd = self.random.random
        if week % 52 == 0:
            self.reunion_admitted = 0.0
        wait = fr["waiting_period_weeks"]
        subsidiary_ok = fr["subsidiary_protection_eligible"]
        still = []
        for h in self.abroad:
            if h.gone or h.reunion != ABROAD:
                continue
            eligible = (h.legal == RECOGNISED or (subsidiary_ok and h.legal == SUBSIDIARY)) and (
                week >= h.status_week + wait
            )
            if not eligible:
                still.append(h)
                continue
            h.reunion = APPLIED
            h.reunion_week = week
            done = week + geometric_weeks(rnd, fr["processing_weeks"], 100_000)
            self.reunion_applications += 1
            heapq.heappush(
                self.reunion_processing,
                (done, self.reunion_applications, h, h.reunion_members, h.region),
            )
            self.reunion_backlog[h.region] += h.reunion_members
        self.abroad = still
        q = self.reunion_processing
        while q and q[0][0] <= week:
            _, _, h, members, region = heapq.heappop(q)
            self.reunion_ready.append((h, members, region))
        cap = fr["annual_cap"]
        ready = self.reunion_ready
        while ready:
            h, applied, at = ready[0]
            if h.gone or h.reunion != APPLIED or h.legal == DEPARTED:
                ready.popleft()
                self.reunion_backlog[at] -= applied
                continue
            members = min(h.reunion_members, max(MAX_HOUSEHOLD_SIZE - h.size, 0))
            if cap is not None and self.reunion_admitted + members > cap:
                break
            ready.popleft()
            self.reunion_backlog[at] -= applied
            self.reunion_admitted += members
            h.reunion = REUNITED
            if members == 0:
                continue
            sponsor_age = h.members[0].age if h.members else 30
            joined = [
                self.spawn_person(h, h.origin, role, age, week, False, False)[0]
                for role, age in self.life.draw_family(rnd, h.origin, members, sponsor_age)
            ]
            self.add_members(h, joined)
            self.newcomers.extend(joined)
            self.reunion_arrivals_flow[h.region] += members
            self.arrivals_flow[h.region] += members

    @staticmethod
    def take_due(lists, week):
        """The persons drawn for this week of the year, taking them off the list."""
        of_year = week % 52
        due, lists[of_year] = lists[of_year], []
        return due

    # -------------------------------------------------------------- 3b births

    def births(self, week):
        due = self.take_due(self.births_due, week)
        for mother in due:
            if mother.gone:
                continue
            h = mother.household
            if (
                mother.role not in MAY_BEAR_CHILDREN
                or h.size >= MAX_HOUSEHOLD_SIZE
                or h.legal == DEPARTED
                or h.region == NOWHERE
            ):
                continue
            child, _ = self.spawn_person(h, mother.origin, CHILD, 0, week, False, True)
            self.add_members(h, [child])
            self.births_flow[h.region] += 1
            self.newcomers.append(child)

    # -------------------------------------------------------------- 3c deaths

    def deaths(self, week):
        due = self.take_due(self.deaths_due, week)
        for p in due:
            if p.gone:
                continue
            h = p.household
            if h.legal == DEPARTED or h.region == NOWHERE:
                continue
            self.release_places(p, h)
            if p.job is not None:
                h.employed = max(h.employed - 1, 0)
            old = h.size
            h.members.remove(p)
            h.size = len(h.members)
            self.resized(h, old)
            r = h.region
            if h.size == 0:
                # Died out: the household leaves the model.
                h.legal, h.housing, h.gone = DEPARTED, GONE, True
                h.remove()
            self.deaths_flow[r] += 1
            self.deceased += 1
            p.gone = True
            p.region = NOWHERE
            p.remove()

    # -------------------------------------------------------------- 3d leaving home

    def leaving_home(self, week):
        due = self.take_due(self.leaving_due, week)
        for p in due:
            if p.gone:
                continue
            h = p.household
            if (
                p.role != CHILD
                or not p.adult
                or h.legal not in HAS_STATUS
                or h.housing not in SETTLED_HOUSING
                or h.size < 2
                or h.region == NOWHERE
            ):
                continue
            employed = 1 if p.job is not None else 0
            old = h.size
            h.members.remove(p)
            h.size = len(h.members)
            h.employed = max(h.employed - employed, 0)
            self.resized(h, old)
            own = self.Household(self, 1, h.origin, h.channel, h.legal, MAINSTREAM, h.arrival_week)
            own.region = h.region
            own.status_week = h.status_week
            own.sponsored = False
            own.employed = employed
            own.members = [p]
            p.household = own
            p.role = HEAD
            self.households_formed_flow[h.region] += 1

    # -------------------------------------------------------------- 8a schools

    def note_school(self, p):
        self.school_now.append(p)

    def schools(self, week):
        later = self.school_later
        now = self.school_now
        while later and later[0][0] <= week:
            now.append(heapq.heappop(later)[2])
        regions = self.regions
        for p in now:
            if p.gone or p.legal == DEPARTED or p.region == NOWHERE:
                continue
            if p.school_phase != OUT and p.school_level == p.due and p.school_region == p.region:
                continue
            if p.school_phase == ENROLLED:
                p.at_school = False
                regions[p.school_region].pupils[p.school_level - 1] -= 1
                p.weeks_done += week - p.school_week
                h = p.household
                h.pupils = max(h.pupils - 1, 0)
            elif p.school_phase == SCHOOL_WAITING:
                regions[p.school_region].school_waiting[p.school_level - 1] -= 1
            p.school_phase = OUT
            p.school_level = NO_SCHOOL
            if p.due == NO_SCHOOL:
                continue
            if p.legal == ASYLUM_SEEKER and (p.asylum_access_week == NEVER or week < p.asylum_access_week):
                if p.asylum_access_week != NEVER:
                    self.school_seq += 1
                    heapq.heappush(later, (p.asylum_access_week, self.school_seq, p))
                continue
            level = p.due - 1
            region = regions[p.region]
            region.school_queue[level].append((p, week))
            region.school_waiting[level] += 1
            p.school_phase = SCHOOL_WAITING
            p.school_level = p.due
            p.school_region = p.region
            p.school_week = week
        self.school_now = []
        for r, region in enumerate(regions):
            for level in range(2):
                q = region.school_queue[level]
                while region.pupils[level] < region.school_places[level] and q:
                    p, joined = q.popleft()
                    if (
                        p.gone
                        or p.school_phase != SCHOOL_WAITING
                        or p.school_region != r
                        or p.school_level != level + 1
                        or p.school_week != joined
                    ):
                        continue  # left the list
                    p.school_phase = ENROLLED
                    p.school_week = week
                    p.at_school = True
                    region.pupils[level] += 1
                    region.school_waiting[level] -= 1
                    p.household.pupils += 1
                    self.school_started_flow[r] += 1
                    self.school_wait_flow[r] += week - joined
