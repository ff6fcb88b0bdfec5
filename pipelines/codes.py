"""Temporary re-export of safeguarding.codes (removed once callers move)."""

from safeguarding.codes import *  # noqa: F401,F403
from safeguarding.codes import ETHNICITY_GROUPS, CATEGORY_OF_ABUSE  # noqa: F401
