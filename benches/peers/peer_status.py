"""Legal status and housing in the Mesa peer: asylum decisions with appeals,
tolerated stay and removals, moving on, and the housing market, as
`src/model/asylum_decisions.rs`, `appeals.rs`, `removals.rs`, `status.rs`,
`moving_on.rs`, `housing_market.rs` and `tenancy.rs` define them.

`StatusAndHousing` is mixed into the model (`ForesightPeer`): weekly
processes 4, 4a, 4b and 5a, and the market's state per region.
`HouseholdTenancy` is mixed into `Household`: its part of moving on (5),
run with `AgentSet.select(...).do`.
"""

from __future__ import annotations

from collections import deque

from peer_vocab import (
    APPEALING,
    ASYLUM_SEEKER,
    DEPARTED,
    EMERGENCY,
    FINALLY_REFUSED,
    GONE,
    HAS_STATUS,
    HOMELESS,
    MAINSTREAM,
    MAX_HOUSEHOLD_SIZE,
    NEVER,
    NO_CLASS,
    NOWHERE,
    OVERCROWDED,
    PATH_MOVE_ON,
    PATH_REJECTED,
    PRIVATE,
    PROTECTED,
    RECEPTION,
    RECOGNISED,
    REJECTED,
    SEARCHING_HOUSING,
    SOCIAL,
    SUBSIDIARY,
    TOLERATED,
    size_class,
)


class HouseholdTenancy:
    """The household's part of moving on (mixed into `Household`)."""

    def searching(self):
        """Searching for a home: with status, in a region, not settled in a
        fitting home (src/model/tenancy.rs: searching)."""
        return self.legal in HAS_STATUS and self.region != NOWHERE and self.housing in SEARCHING_HOUSING

    def waiting_in(self, r, c):
        return (
            self.region == r
            and self.housing_queue_since != NEVER
            and size_class(self.size) == c
            and self.searching()
        )

    def release_reception(self):
        if self.housing == RECEPTION:
            self.model.regions[self.region].reception_used -= self.size

    # Weekly process 5: the finally refused leave or are put out after the
    # period; protected households leave reception or emergency
    # accommodation at the end of the move-on period.
    def move_on(self, week):
        m = self.model
        accommodated = self.housing in (RECEPTION, EMERGENCY)
        period_over = week - self.status_week >= m.move_on_period
        if self.legal in FINALLY_REFUSED:
            if m.random.random() < m.depart_rate:
                self.release_reception()
                self.legal = DEPARTED
                self.housing = GONE
            elif accommodated and period_over:
                rule = m.rejected_accommodation
                if rule == "none":
                    self.release_reception()
                    self.housing = HOMELESS
                    self.homeless_path = PATH_REJECTED
                elif rule == "community":
                    self.release_reception()
                    self.housing = OVERCROWDED
                # basic_reception: the place is kept
        elif period_over:
            if m.move_on_support:
                if self.housing == RECEPTION:
                    self.release_reception()
                    self.housing = EMERGENCY
            else:
                self.release_reception()
                self.housing = HOMELESS
                self.homeless_path = PATH_MOVE_ON


class Market:
    """One region's housing market: queues by size, supply and vacancies by
    tenure and size (src/model/housing_market.rs: Market)."""

    def __init__(self, spec, h):
        relet = h["annual_turnover"] / 52.0 * h["newcomer_access_share"]
        hs = spec["housing"]
        direct = (hs["small_units_per_week"], hs["medium_units_per_week"], hs["large_units_per_week"])
        st = hs["stock"]
        stock = (st["small"], st["medium"], st["large"])
        self.supply = (
            [direct[c] + stock[c] * (1.0 - h["private_share"]) * relet for c in range(3)],
            [stock[c] * h["private_share"] * relet for c in range(3)],
        )
        self.vacant = [[0, 0, 0], [0, 0, 0]]
        self.queue = [deque() for _ in range(3)]


class StatusAndHousing:
    """Legal status and the housing market (mixed into `ForesightPeer`)."""

    def init_status(self, s):
        self.rules = s["legal_status"]
        self.rejected_accommodation = s["policy"]["rejected_accommodation"]
        self.court = deque()
        self.court_credit = 0.0
        self.removal_queue = deque()
        self.removal_credit = 0.0
        self.housing_rules = s["housing"]
        self.markets = [Market(spec, s["housing"]) for spec in s["regions"]]

    def protection(self, group):
        """Refugee status, or subsidiary protection with the group's share."""
        share = self.groups[group]["family_abroad"]["subsidiary_protection_share"]
        if share > 0.0 and self.random.random() < share:
            return SUBSIDIARY
        return RECOGNISED

    def refuse_finally(self, h, week):
        h.status_week = week
        if self.random.random() < self.rules["tolerated_share"]:
            h.legal = TOLERATED
        else:
            h.legal = REJECTED
            self.removal_queue.append(h)

    # 4. Asylum decisions: national capacity through the backlog, first come first served.
    def asylum_decisions(self, week):
        capacity = self.s["asylum"]["decision_capacity_per_week"]
        self.credit = min(self.credit + capacity, capacity + MAX_HOUSEHOLD_SIZE)
        q = self.backlog
        rnd = self.random.random
        while q:
            h = q[0]
            if h.legal != ASYLUM_SEEKER:
                q.popleft()
                continue
            if h.size > self.credit:
                break
            self.credit -= h.size
            q.popleft()
            h.status_week = week
            if rnd() < self.groups[h.origin]["recognition_probability"]:
                self.recognitions_flow[h.region] += h.size
                h.legal = self.protection(h.origin)
            elif rnd() < self.rules["appeal_share"]:
                h.legal = APPEALING
                self.court.append(h)
            else:
                self.refuse_finally(h, week)
            self.decisions_flow[h.region] += h.size
        if not q:
            self.credit = min(self.credit, capacity)

    # 4a. Appeals: the courts' queue at national capacity.
    def appeals(self, week):
        rules = self.rules
        capacity = rules["court_capacity_per_week"]
        self.court_credit = min(self.court_credit + capacity, capacity + MAX_HOUSEHOLD_SIZE)
        q = self.court
        while q:
            h = q[0]
            if h.legal != APPEALING:
                q.popleft()
                continue
            if week - h.status_week < rules["appeal_min_weeks"]:
                break
            if h.size > self.court_credit:
                break
            self.court_credit -= h.size
            q.popleft()
            self.appeal_decisions_flow[h.region] += h.size
            if self.random.random() < rules["appeal_success"]:
                h.legal = self.protection(h.origin)
                h.status_week = week
                self.recognitions_flow[h.region] += h.size
            else:
                self.refuse_finally(h, week)
        if not q:
            self.court_credit = min(self.court_credit, capacity)

    # 4b. Removals of the returnable, in the order refused, at national capacity.
    def removals(self, week):
        capacity = self.rules["removal_capacity_per_week"]
        self.removal_credit = min(self.removal_credit + capacity, capacity + MAX_HOUSEHOLD_SIZE)
        q = self.removal_queue
        while q:
            h = q[0]
            if h.legal != REJECTED:
                q.popleft()
                continue
            if h.size > self.removal_credit:
                break
            self.removal_credit -= h.size
            q.popleft()
            h.release_reception()
            h.legal = DEPARTED
            h.housing = GONE
            self.removals_flow[h.region] += h.size
        if not q:
            self.removal_credit = min(self.removal_credit, capacity)

    # 5. Moving on: the households' part.
    def moving_on(self, week):
        self.agents_by_type[self.Household].select(
            lambda h: h.legal in FINALLY_REFUSED or (h.legal in PROTECTED and h.housing in (RECEPTION, EMERGENCY))
        ).do("move_on", week)

    # 5a. Housing market: searchers queue, homes come free, overcrowding, vacancies.
    def housing_market(self, week):
        rnd = self.random.random
        hr = self.housing_rules
        for h in self.agents_by_type[self.Household].select(
            lambda h: h.housing_queue_since == NEVER and h.searching()
        ):
            h.housing_queue_since = week
            self.markets[h.region].queue[size_class(h.size)].append(h)
            h.rent_draw = rnd()
        trend = (1.0 + hr["annual_supply_trend"]) ** (week / 52.0)
        overcrowd_after = hr["overcrowding_after_weeks"]
        barrier = hr["rent_barrier"]
        carry = hr["carry_over_weeks"]
        for r, mk in enumerate(self.markets):
            self.housed_flow[r] = 0
            left_over = [0, 0]
            for c in range(3):
                units = [
                    self.poisson(mk.supply[t][c] * trend) + mk.vacant[t][c] for t in (SOCIAL, PRIVATE)
                ]
                self.offer(mk, week, barrier, r, c, units, None)
                if c > 0:
                    self.offer(mk, week, barrier, r, c, left_over, overcrowd_after)
                    self.keep_vacant(mk, c - 1, left_over, trend, carry)
                left_over = units
            self.keep_vacant(mk, 2, left_over, trend, carry)

    @staticmethod
    def keep_vacant(mk, c, units, trend, weeks):
        for t in (SOCIAL, PRIVATE):
            limit = int(weeks * mk.supply[t][c] * trend)
            mk.vacant[t][c] = min(units[t], limit)

    def offer(self, mk, week, barrier, r, c, units, smaller_after):
        """Units of size class c (or, with `smaller_after`, the class below)
        offered down class c's queue, front first."""
        queue = mk.queue[c]
        kept = []
        while queue and (units[0] > 0 or units[1] > 0):
            h = queue[0]
            if not h.waiting_in(r, c):
                queue.popleft()
                continue
            waited = week - h.housing_queue_since
            if smaller_after is not None:
                if waited < smaller_after:
                    break
                if h.housing == OVERCROWDED:
                    kept.append(queue.popleft())
                    continue
            queue.popleft()
            without = 1.0 if h.employed == 0 else 0.0
            can_pay = h.rent_draw >= barrier * without
            if can_pay and units[PRIVATE] > 0:
                tenure = PRIVATE
            elif units[SOCIAL] > 0:
                tenure = SOCIAL
            else:
                kept.append(h)
                continue
            units[tenure] -= 1
            h.release_reception()
            if smaller_after is None:
                h.housing = MAINSTREAM
                h.housing_queue_since = NEVER
                h.outgrown = NO_CLASS
                self.housed_flow[r] += h.size
            else:
                h.housing = OVERCROWDED
                h.outgrown = c - 1
                kept.append(h)
        for h in reversed(kept):
            queue.appendleft(h)
