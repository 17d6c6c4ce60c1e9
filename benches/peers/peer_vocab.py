"""The Mesa peer's vocabulary: the enumerations and small helpers shared by
`mesa_model.py` and its process modules (`peer_life.py`, `peer_status.py`,
`peer_accounts.py`), kept apart so that each can import them."""

from __future__ import annotations

import math

# Legal status (src/model/components.rs: LegalStatus, in its order).
(
    ASYLUM_SEEKER,
    RECOGNISED,
    REJECTED,
    RESETTLED,
    RESIDENT,
    DEPARTED,
    SUBSIDIARY,
    APPEALING,
    TOLERATED,
) = range(9)
LEGAL_STATUSES = 9
HAS_STATUS = frozenset((RECOGNISED, RESETTLED, RESIDENT, SUBSIDIARY))
REFUGEE = frozenset((RECOGNISED, RESETTLED, SUBSIDIARY))
PROTECTED = frozenset((RECOGNISED, SUBSIDIARY))
AWAITING_DECISION = frozenset((ASYLUM_SEEKER, APPEALING))
FINALLY_REFUSED = frozenset((REJECTED, TOLERATED))

# Housing status.
RECEPTION, EMERGENCY, MAINSTREAM, OVERCROWDED, HOMELESS, GONE = range(6)
SEARCHING_HOUSING = frozenset((RECEPTION, EMERGENCY, HOMELESS, OVERCROWDED))
SETTLED_HOUSING = frozenset((MAINSTREAM, OVERCROWDED))

# Arrival channel.
ASYLUM, RESETTLEMENT, FAMILY, LABOUR, SPONSORSHIP = range(5)

# Roles in a household (src/model/components.rs: Role).
HEAD, PARTNER, LONE_PARENT, CHILD, RELATIVE = range(5)
MAY_BEAR_CHILDREN = frozenset((PARTNER, LONE_PARENT))
HEAD_LIKE = frozenset((HEAD, PARTNER, LONE_PARENT))

# Family abroad (src/model/components.rs: ReunionPhase).
NO_FAMILY_ABROAD, ABROAD, APPLIED, REUNITED = range(4)

# School levels and a child's standing.
NO_SCHOOL, PRIMARY, SECONDARY = range(3)
OUT, SCHOOL_WAITING, ENROLLED = range(3)

# Skill tiers.
LOW, MID, HIGH = 0, 1, 2
TIERS = 3

# Services, in output order, and a person's phase in each.
LANGUAGE, COACHING, CREDENTIAL, INTERPRETATION, HEALTH, MENTAL_HEALTH = range(6)
SERVICES = 6
SERVICE_NAMES = (
    "language",
    "coaching",
    "credential_recognition",
    "interpretation",
    "health_registration",
    "mental_health",
)
NOT_YET, WAITING, IN_SERVICE, DONE = range(4)

# Homeless paths (src/model/tenancy.rs: HomelessPath).
PATH_NONE, PATH_MOVE_ON, PATH_REJECTED = range(3)

# Housing tenure (src/model/housing_market.rs).
SOCIAL, PRIVATE = 0, 1

NEVER = -1  # a week that has not come ("not yet" in week fields)
NOWHERE = -1  # region before dispersal
NO_CLASS = -1  # no outgrown home
MAX_HOUSEHOLD_SIZE = 12
MAX_AGE = 120
MENTORING_WINDOW_WEEKS = 5 * 52
THREE_YEARS = 156
WEEKS_PER_MONTH = 52.0 / 12.0


def tiers(d):
    return (d["low"], d["mid"], d["high"])


def round_half_away(x):
    """Rust's f64::round for non-negative values (Python's round is banker's)."""
    return math.floor(x + 0.5)


def weekly_automation(annual):
    return 1.0 - (1.0 - annual) ** (1.0 / 52.0)


def size_class(size):
    """Unit size a household needs: 0 small (1), 1 medium (2-4), 2 large (5+)."""
    return 0 if size <= 1 else (1 if size <= 4 else 2)


def geometric_weeks(rnd, mean, cap):
    """P(T = k) = q (1 - q)^(k - 1), k >= 1, q = 1 / mean, at most `cap`."""
    q = 1.0 / max(mean, 1.0)
    if q >= 1.0:
        return 1
    u = 1.0 - rnd()
    return int(min(max(math.ceil(math.log(u) / math.log(1.0 - q)), 1), cap))
