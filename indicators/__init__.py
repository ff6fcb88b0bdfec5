"""Domain core (read side): the indicator registry, DfE-definition indicators and analyst API."""

from indicators.api import available_periods, latest, series, sql, values
from indicators.registry import get, registry

__all__ = ["available_periods", "get", "latest", "registry", "series", "sql", "values"]
