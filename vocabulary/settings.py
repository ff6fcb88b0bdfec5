"""Settings: one safeguarding.toml, overridden by environment variables (shared by every layer).

The file is found by ``--config``, else ``$SAFEGUARDING_CONFIG``, else ``safeguarding.toml`` in the
working directory; without one, every setting has its default. An environment variable always wins
over the file. Paths written in the file resolve relative to the file's folder; paths in environment
variables are taken as given. docs/deployment.md lists every setting.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

CONFIG_ENV = "SAFEGUARDING_CONFIG"
CONFIG_NAME = "safeguarding.toml"
WAREHOUSE_ENV = "SAFEGUARDING_WAREHOUSE"
KEY_ENV = "SAFEGUARDING_KEY_FILE"
DEFAULT_WAREHOUSE = Path("data/curated/warehouse.duckdb")
PROJECT_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Setting:
    env: str
    is_path: bool = False
    help: str = ""


# "section.key" in safeguarding.toml -> its environment variable.
SETTINGS: dict[str, Setting] = {
    "paths.warehouse": Setting(WAREHOUSE_ENV, True, "the curated DuckDB file"),
    "paths.key_file": Setting(KEY_ENV, True, "the pseudonymisation key (keep it secret, back it up)"),
    "paths.config_dir": Setting(
        "SAFEGUARDING_CONFIG_DIR",
        True,
        "the LA's own targets, annotations, partnership, partner measures, assurance",
    ),
    "paths.commentary_dir": Setting("SAFEGUARDING_COMMENTARY_DIR", True, "report commentary files"),
    "paths.users_file": Setting("SAFEGUARDING_USERS_FILE", True, "dashboard users (hashed passwords)"),
    "paths.audit_log": Setting("SAFEGUARDING_AUDIT_LOG", True, "hash-chained audit log of sign-ins"),
    "paths.partnership": Setting("SAFEGUARDING_PARTNERSHIP", True, "the partnership's member LAs"),
    "paths.partner_measures": Setting("SAFEGUARDING_PARTNER_MEASURES", True, "partner measures file"),
    "paths.assurance": Setting("SAFEGUARDING_ASSURANCE", True, "section 11 and audit declaration"),
    "paths.chromium": Setting("SAFEGUARDING_CHROMIUM", True, "Chromium for the report's charts"),
    "limits.max_file_mb": Setting("SAFEGUARDING_MAX_FILE_MB", help="largest file accepted"),
    "limits.max_unzipped_mb": Setting("SAFEGUARDING_MAX_UNZIPPED_MB", help="largest unzipped workbook"),
    "limits.max_rows": Setting("SAFEGUARDING_MAX_ROWS", help="most rows in one sheet or CSV"),
    "limits.max_errors": Setting("SAFEGUARDING_MAX_ERRORS", help="structural errors listed per file"),
    "limits.min_kept_fraction": Setting(
        "SAFEGUARDING_MIN_KEPT_FRACTION", help="smallest share of children a resubmission may keep"
    ),
    "limits.workers": Setting("SAFEGUARDING_INGEST_WORKERS", help="parallel parse processes"),
    "limits.load_memory": Setting(
        "SAFEGUARDING_LOAD_MEMORY", help="DuckDB's memory limit in a load, e.g. 4GB (default: half the RAM)"
    ),
    "limits.read_memory": Setting(
        "SAFEGUARDING_READ_MEMORY",
        help="DuckDB's memory limit for reading the warehouse, e.g. 512MB (default: DuckDB's own)",
    ),
    "sessions.idle_seconds": Setting("SAFEGUARDING_SESSION_IDLE_SECONDS", help="sign-out when idle"),
    "sessions.lifetime_seconds": Setting("SAFEGUARDING_SESSION_LIFETIME_SECONDS", help="longest session"),
    "sessions.trusted_proxies": Setting("SAFEGUARDING_TRUSTED_PROXIES", help="reverse proxies in front"),
    "logging.level": Setting("SAFEGUARDING_LOG_LEVEL", help="DEBUG, INFO, WARNING or ERROR"),
    "logging.file": Setting("SAFEGUARDING_LOG_FILE", True, "log file (default: standard error)"),
}


class ConfigError(ValueError):
    """safeguarding.toml is unreadable or has an unknown or mistyped setting; names the file and key."""


@dataclass(frozen=True)
class Config:
    path: Path | None  # the file read, or None (defaults and environment only)
    values: dict[str, object]  # "section.key" -> value as written
    sections: dict[str, dict]  # sections that are not simple settings ([oidc], [access])

    @property
    def base(self) -> Path | None:
        return self.path.parent if self.path else None


_ACTIVE: list[Config] = []
OPEN_SECTIONS = ("oidc", "access")


def find_config(explicit: str | Path | None = None) -> Path | None:
    """--config, else $SAFEGUARDING_CONFIG, else ./safeguarding.toml if it exists."""
    if explicit:
        return Path(explicit)
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV])
    here = Path.cwd() / CONFIG_NAME
    return here if here.is_file() else None


def read_config(path: Path | None) -> Config:
    """Parse and check one safeguarding.toml (None: no file)."""
    if path is None:
        return Config(None, {}, {})
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    values: dict[str, object] = {}
    sections: dict[str, dict] = {}
    for section, table in data.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: {section}: expected a [section] table")
        if section in OPEN_SECTIONS:
            sections[section] = table
            continue
        for key, value in table.items():
            name = f"{section}.{key}"
            if name not in SETTINGS:
                raise ConfigError(f"{path}: {name}: unknown setting (docs/deployment.md lists them)")
            if not isinstance(value, str | int | float) or isinstance(value, bool):
                raise ConfigError(f"{path}: {name}: expected text or a number, not {value!r}")
            values[name] = value
    return Config(path.resolve(), values, sections)


def configure(path: str | Path | None = None) -> Config:
    """Read the config file once (the CLI's entry point calls this); later calls replace it."""
    config = read_config(find_config(path))
    _ACTIVE[:] = [config]
    return config


def current() -> Config:
    """The active config, found (once) from $SAFEGUARDING_CONFIG or the working directory when no
    entry point configured one (notebooks, tests)."""
    if not _ACTIVE:
        configure()
    return _ACTIVE[0]


def get(name: str) -> str | None:
    """The raw value of a setting: its environment variable, else the file, else None."""
    setting = SETTINGS[name]
    env = os.environ.get(setting.env, "").strip()
    if env:
        return env
    value = current().values.get(name)
    if value is None:
        return None
    if setting.is_path:
        return str(_in_base(Path(str(value))))
    return str(value)


def get_path(name: str, default: str | Path | None = None) -> Path | None:
    """A path setting; an unset one is `default`, relative to the config file's folder if there is one."""
    raw = get(name)
    if raw is not None:
        return Path(raw)
    return None if default is None else _in_base(Path(default))


def section(name: str) -> dict:
    """An open section of the file ([oidc], [access]); {} if absent."""
    return current().sections.get(name, {})


def _in_base(path: Path) -> Path:
    base = current().base
    return path if path.is_absolute() or base is None else base / path


def resolve_warehouse(path: str | Path | None = None) -> Path:
    """--warehouse, else $SAFEGUARDING_WAREHOUSE, else the config file, else data/curated/warehouse.duckdb."""
    if path:
        return Path(path)
    return get_path("paths.warehouse", DEFAULT_WAREHOUSE)  # type: ignore[return-value]


def default_key_file() -> Path:
    """Beside a config file if there is one; in a source checkout data/secrets under the project; for an
    installed package the user's data folder. Never the working directory: a run started from another
    folder must find the same key, not quietly make a new one there."""
    if current().base is not None:
        return current().base / "data" / "secrets" / "pseudonymisation.key"  # type: ignore[operator]
    if (PROJECT_ROOT / "pyproject.toml").is_file():
        return PROJECT_ROOT / "data" / "secrets" / "pseudonymisation.key"
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "safeguarding" / "secrets" / "pseudonymisation.key"


def resolve_key_file() -> Path:
    """$SAFEGUARDING_KEY_FILE, else the config file, else default_key_file()."""
    return get_path("paths.key_file") or default_key_file()


def la_config_file(name: str, default: Path) -> Path:
    """The LA's own copy of a configuration file in paths.config_dir if it has one, else the shipped
    default (targets.yaml, annotations.yaml, partner_measures.yaml, assurance.yaml, ...)."""
    folder = get_path("paths.config_dir")
    if folder is not None and (folder / name).is_file():
        return folder / name
    return default
