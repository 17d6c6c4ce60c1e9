"""The Mesa peer's scenario reading: the defaults of `src/scenario/types/`
(copied into `DEFAULTS`; if a default there changes, it must change here),
and `load_scenario`, which reads a file as foresight does and refuses what
the peer does not implement rather than run it wrongly."""

from __future__ import annotations

import copy
import sys

import yaml

from peer_vocab import SERVICE_NAMES

def _tier(low, mid, high):
    return {"low": low, "mid": mid, "high": high}


def _service(take_up, weeks, cost):
    return {
        "take_up_per_week": take_up,
        "duration_weeks": weeks,
        "duration": "fixed",
        "cost_per_place_week": cost,
    }


# The defaults of src/scenario/types/, for the blocks a file may leave out.
DEFAULTS = {
    "seed": 1,
    "scale": 1,
    "replications": 1,
    "asylum": {
        "decision_capacity_per_week": 1000.0,
        "initial_backlog": 0,
        "rejected_departure_rate_per_week": 0.02,
    },
    "housing": {
        "annual_supply_trend": 0.0,
        "overcrowding_after_weeks": 12,
        "annual_turnover": 0.08,
        "newcomer_access_share": 0.1,
        "private_share": 0.8,
        "rent_barrier": 0.5,
        "carry_over_weeks": 4.0,
        "homeless_activity_factor": 0.5,
    },
    "services": {
        "language": _service(0.10, 26.0, 120.0),
        "coaching": _service(0.05, 26.0, 150.0),
        "credential_recognition": _service(0.05, 16.0, 80.0),
        "interpretation": _service(0.10, 2.0, 60.0),
        "health_registration": _service(0.25, 1.0, 40.0),
        "mental_health": _service(0.05, 12.0, 200.0),
    },
    "integration": {
        "language_gain_in_course": 0.03,
        "language_gain_at_work": 0.01,
        "language_gain_everyday": 0.002,
        "illiteracy_factor": 0.5,
        "trauma_factor": 0.6,
        "bonds_saturation": 2000.0,
        "bonds_rate": 0.05,
        "bridges_gain_at_work": 0.01,
        "bridges_gain_sponsored": 0.02,
        "bridges_gain_mentored": 0.02,
        "links_gain_in_service": 0.02,
    },
    "labour_market": {
        "base_job_finding_per_week": _tier(0.0093, 0.0062, 0.0047),
        "job_loss_per_week": _tier(0.01, 0.006, 0.004),
        "vacancy_rate_per_week": _tier(0.006, 0.004, 0.003),
        "newcomer_vacancy_share": 0.25,
        "language_needed": 0.6,
        "language_floor": 0.3,
        "network_effect": 1.5,
        "attitude_effect": 0.5,
        "tier_language_threshold": 0.4,
        "automation_annual_rate": _tier(0.0, 0.0, 0.0),
        "shocks": [],
    },
    "attitudes": {
        "overload_sensitivity": 0.002,
        "arrivals_sensitivity": 0.05,
        "contact_gain": 0.0005,
        "bridges_contact_gain": 0.0,
        "reversion_rate": 0.02,
    },
    "secondary_movement": {"rate_per_week": 0.002, "job_pull": 1.0, "network_pull": 0.5},
    "demography": {
        "adult_age": 18,
        "working_age_from": 18,
        "retirement_age": 67,
        "school_start_age": 6,
        "secondary_school_age": 10,
        "school_leaving_age": 16,
        "life_table": "destatis_2016_2018",
        "mortality_multiplier": 1.0,
        "total_fertility_rate": 2.28,
        "fertility_from_age": 15,
        "fertility_to_age": 49,
        "leaving_home_rate_per_year": 0.17,
    },
    "second_generation": {"parents_work_effect": 1.2},
    "schools": {
        "language_gain_in_school": 0.02,
        "bridges_gain_in_school": 0.01,
        "bridges_gain_school_parent": 0.005,
    },
    "legal_status": {
        "subsidiary_take_up_factor": 0.8,
        "appeal_share": 0.9,
        "appeal_min_weeks": 26,
        "court_capacity_per_week": 500.0,
        "appeal_success": 0.2,
        "tolerated_share": 0.5,
        "removal_capacity_per_week": 0.0,
    },
    "feedback": {
        "attitude": True,
        "budgets": False,
        "volunteers": False,
        "bridges_to_jobs": False,
        "reference_attitude": 0.5,
        "volunteer_recruitment": 0.1,
        "volunteer_decay_per_week": 0.01,
        "bridges_job_effect": 2.0,
    },
    "accounts": {
        "discount_rate_annual": 0.035,
        "reception_cost_per_person_week": 250.0,
        "emergency_cost_per_person_week": 450.0,
        "homeless_cost_per_person_week": 150.0,
        "earnings": {
            "per_week": _tier(337.0, 436.0, 594.0),
            "growth_per_year": 0.03,
            "growth_years": 10,
            "income_tax_share": _tier(0.017, 0.052, 0.093),
            "employee_contributions_share": 0.204,
            "counted_contributions_share": 0.212,
            "scar_per_month": 0.008,
            "scar_max": 0.3,
        },
        "benefits": {
            "single_adult_per_month": 563.0,
            "partner_per_month": 506.0,
            "other_adult_per_month": 451.0,
            "child_under_6_per_month": 357.0,
            "child_6_to_13_per_month": 390.0,
            "child_14_to_17_per_month": 471.0,
            "child_benefit_per_month": 250.0,
            "housing_per_month": 420.0,
            "housing_per_further_member_month": 90.0,
        },
        "pensions": {
            "value_per_point_month": 39.32,
            "average_earnings_year": 45358.0,
            "old_age_minimum_per_month": 851.0,
        },
        "empty_place_cost_share": 0.5,
        "setup_weeks_per_added_place": 13.0,
        "decision_cost_per_person": 540.0,
        "appeal_cost_per_person": 980.0,
        "removal_cost_per_person": 16000.0,
        "mentoring_cost_per_pair": 1080.0,
        "sponsorship_cost_per_person": 3000.0,
        "primary_school_cost_per_pupil_year": 8400.0,
        "secondary_school_cost_per_pupil_year": 10900.0,
        "fast_track_cost_per_case": 550.0,
        "terminal_years": 20.0,
        "programme_cost_per_year": {
            "intensive_coaching": 100_000.0,
            "mentoring": 0.0,
            "community_sponsorship": 100_000.0,
            "nudges": 250_000.0,
            "credential_fast_track": 100_000.0,
        },
        "shadow_prices": {"enabled": False, "employment_year": 13400.0, "homeless_year": 33700.0},
    },
    "policy": {
        "dispersal": {"rule": "population_share", "urban_pull": 2.0, "network_pull": 0.5},
        "residence_rule_weeks": 0,
        "early_work_access_weeks": None,
        "integration_from_day_one": False,
        "move_on": {"period_weeks": 4, "support": False},
        "intensive_coaching": {"coverage": 0.0, "job_finding_multiplier": 1.5},
        "mentoring": {"pairs_per_year": 0.0, "duration_weeks": 26, "job_finding_multiplier": 2.0},
        "community_sponsorship": {"households_per_year": 0.0, "regions": []},
        "nudges": {"enabled": False, "take_up_uplift": 0.06},
        "credential_fast_track": {"enabled": False, "duration_factor": 0.5},
        "adaptive_capacity": [],
        "family_reunion": {
            "waiting_period_weeks": 0,
            "subsidiary_protection_eligible": True,
            "annual_cap": None,
            "processing_weeks": 39.0,
        },
        "school_access": {"asylum_seekers": True, "asylum_seeker_wait_weeks": 13},
        "rejected_accommodation": "none",
    },
}

REGION_DEFAULTS = {
    "urban": False,
    "dispersal_weight": 0.0,
    "attitude": 0.5,
    "housing": {
        "small_units_per_week": 0.0,
        "medium_units_per_week": 0.0,
        "large_units_per_week": 0.0,
        "stock": {"small": 0.0, "medium": 0.0, "large": 0.0},
    },
    "services": {name: {"seats": 0} for name in SERVICE_NAMES},
    "schools": {"primary_places": 0, "secondary_places": 0},
}
ARRIVALS_DEFAULTS = {
    "annual_trend": 0.0,
    "seasonality": {"amplitude": 0.0, "peak_week": 0},
    "surges": [],
    "channels": {"asylum": 1.0, "resettlement": 0.0, "family": 0.0, "labour": 0.0},
}
GROUP_DEFAULTS = {
    "literacy": 1.0,
    "initial_language": 0.0,
    "vulnerability": 0.0,
    "age_profile": {
        "under_4": 0.12,
        "from_4_to_17": 0.194,
        "from_18_to_24": 0.251,
        "from_25_to_39": 0.335,
        "from_40_to_64": 0.095,
        "from_65": 0.005,
    },
    "household_types": {"single_parent": 0.15, "extended": 0.10},
    "family_abroad": {"members_per_adult": 0.275, "subsidiary_protection_share": 0.0},
}
SURGE_DEFAULTS = {"ramp_weeks": 0, "origin_mix": None}
SHOCK_DEFAULTS = {"job_loss_share": _tier(0.0, 0.0, 0.0), "hiring_multiplier": 1.0}
ADAPTIVE_DEFAULTS = {"lead_time_weeks": 0, "max_added": 2**32 - 1}

# Blocks foresight has that the peer does not run: they must be absent or off.
NOT_PORTED = ("wildcards", "drivers")


def _merge(defaults, given):
    """Defaults overlaid with what the file gives, recursively for mappings."""
    if given is None:
        return copy.deepcopy(defaults)
    if not isinstance(defaults, dict) or not isinstance(given, dict):
        return given
    out = copy.deepcopy(defaults)
    for k, v in given.items():
        out[k] = _merge(defaults[k], v) if k in defaults else v
    return out


def load_scenario(path):
    """A scenario file as foresight reads it, with its documented defaults."""
    with open(path) as f:
        raw = yaml.safe_load(f)
    s = _merge(DEFAULTS, raw)
    s["regions"] = [_merge(REGION_DEFAULTS, r) for r in raw["regions"]]
    a = _merge(ARRIVALS_DEFAULTS, raw["arrivals"])
    a["origin_groups"] = [_merge(GROUP_DEFAULTS, g) for g in a["origin_groups"]]
    a["surges"] = [_merge(SURGE_DEFAULTS, x) for x in a["surges"]]
    s["arrivals"] = a
    lm = s["labour_market"]
    lm["shocks"] = [_merge(SHOCK_DEFAULTS, x) for x in lm["shocks"]]
    pol = s["policy"]
    pol["adaptive_capacity"] = [_merge(ADAPTIVE_DEFAULTS, x) for x in pol["adaptive_capacity"]]
    # What the peer cannot run is refused rather than run wrongly.
    for block in NOT_PORTED:
        if raw.get(block):
            sys.exit(f"{path}: the Mesa peer does not implement `{block}` (see benches/peers/README.md)")
    if pol.get("adaptation"):
        sys.exit(f"{path}: the Mesa peer does not implement `policy.adaptation` (see README.md)")
    fb = s["feedback"]
    if fb["budgets"] or fb["volunteers"] or fb["bridges_to_jobs"]:
        sys.exit(f"{path}: the Mesa peer implements only the attitude feedback loop (see README.md)")
    # Values given as a schedule (per month or year) are not read by the peer.
    scheduled = [("arrivals.weekly_rate", a["weekly_rate"]),
                 ("asylum.decision_capacity_per_week", s["asylum"]["decision_capacity_per_week"])]
    scheduled += [(f"origin_groups[{g['name']}].recognition_probability", g["recognition_probability"])
                  for g in a["origin_groups"]]
    for name, value in scheduled:
        if not isinstance(value, (int, float)):
            sys.exit(f"{path}: the Mesa peer does not read schedules ({name}; see README.md)")
    if float(s["scale"]) != 1.0:
        sys.exit(f"{path}: the Mesa peer runs at scale 1 only (see README.md)")
    return s
