"""safeguarding.toml: found by --config, $SAFEGUARDING_CONFIG or the working directory; environment
variables win; paths resolve relative to the file; the LA's config directory overrides shipped files;
log lines are structured."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from vocabulary import settings
from vocabulary.logs import configure_logging, event

ENVS = [s.env for s in settings.SETTINGS.values()] + [settings.CONFIG_ENV]


@pytest.fixture(autouse=True)
def clean(monkeypatch, tmp_path):
    for name in ENVS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    yield
    settings._ACTIVE.clear()


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_paths_in_the_file_resolve_relative_to_the_file_not_the_working_directory(tmp_path):
    config = _write(tmp_path / "etc" / "safeguarding.toml", '[paths]\nwarehouse = "db/w.duckdb"\n')
    settings.configure(config)
    assert settings.resolve_warehouse() == tmp_path / "etc" / "db" / "w.duckdb"
    # Unset paths default beside the file too: the key never lands in the working directory.
    assert settings.resolve_key_file() == tmp_path / "etc" / "data" / "secrets" / "pseudonymisation.key"


def test_environment_variables_override_the_file(tmp_path, monkeypatch):
    config = _write(
        tmp_path / "safeguarding.toml", '[paths]\nwarehouse = "a.duckdb"\n[limits]\nmax_rows = 7\n'
    )
    monkeypatch.setenv("SAFEGUARDING_WAREHOUSE", "/srv/b.duckdb")
    settings.configure(config)
    assert settings.resolve_warehouse() == Path("/srv/b.duckdb")
    assert settings.get("limits.max_rows") == "7"
    monkeypatch.setenv("SAFEGUARDING_MAX_ROWS", "9")
    assert settings.get("limits.max_rows") == "9"


def test_the_file_is_found_by_option_then_environment_then_working_directory(tmp_path, monkeypatch):
    here = _write(tmp_path / "safeguarding.toml", '[paths]\nwarehouse = "cwd.duckdb"\n')
    other = _write(tmp_path / "other" / "s.toml", '[paths]\nwarehouse = "env.duckdb"\n')
    explicit = _write(tmp_path / "third" / "s.toml", '[paths]\nwarehouse = "opt.duckdb"\n')
    assert settings.configure().path == here.resolve()
    monkeypatch.setenv(settings.CONFIG_ENV, str(other))
    assert settings.configure().path == other.resolve()
    assert settings.configure(explicit).path == explicit.resolve()
    assert settings.resolve_warehouse() == explicit.parent.resolve() / "opt.duckdb"


def test_without_a_file_the_defaults_stand(tmp_path):
    config = settings.configure()
    assert config.path is None
    assert settings.resolve_warehouse() == Path("data/curated/warehouse.duckdb")


@pytest.mark.parametrize(
    "text, words",
    [
        ("[paths]\nwarehous = 'x'\n", "paths.warehous: unknown setting"),
        ("[limits]\nmax_rows = [1]\n", "limits.max_rows: expected text or a number"),
        ("[paths\n", "not valid TOML"),
        ("warehouse = 'x'\n", "warehouse: expected a [section] table"),
    ],
)
def test_a_bad_file_is_refused_naming_the_file_and_the_setting(tmp_path, text, words):
    config = _write(tmp_path / "bad.toml", text)
    with pytest.raises(settings.ConfigError) as exc:
        settings.configure(config)
    assert str(exc.value).startswith(f"{config}: ") and words in str(exc.value)


def test_the_config_directory_copy_of_a_file_wins_over_the_shipped_default(tmp_path):
    from indicators.targets import DEFAULT_PATH, load_targets

    shipped = load_targets()
    own = _write(tmp_path / "la" / "targets.yaml", DEFAULT_PATH.read_text(encoding="utf-8"))
    assert settings.la_config_file("targets.yaml", DEFAULT_PATH) == DEFAULT_PATH
    settings.configure(_write(tmp_path / "safeguarding.toml", '[paths]\nconfig_dir = "la"\n'))
    assert settings.la_config_file("targets.yaml", DEFAULT_PATH) == own
    assert settings.la_config_file("annotations.yaml", Path("shipped.yaml")) == Path("shipped.yaml")
    own.write_text("not: [valid", encoding="utf-8")  # proves the LA's copy is the one read
    with pytest.raises(ValueError, match=str(own)):
        load_targets()
    assert shipped  # the shipped file still loads when no copy is there


def test_commentary_drafts_default_outside_the_package(tmp_path):
    from reports.commentary import default_path

    assert default_path("856", "2024-25-Q3") == Path("reports/commentary/856-2024-25-Q3.yaml")
    settings.configure(_write(tmp_path / "etc" / "safeguarding.toml", "[paths]\ncommentary_dir = 'notes'\n"))
    assert default_path("856", "2024-25-Q3") == tmp_path / "etc" / "notes" / "856-2024-25-Q3.yaml"


def test_log_lines_are_key_value_pairs_quoted_where_needed(tmp_path):
    log_file = tmp_path / "logs" / "s.log"
    settings.configure(
        _write(tmp_path / "safeguarding.toml", "[logging]\nlevel = 'info'\nfile = 'logs/s.log'\n")
    )
    handler = configure_logging()
    try:
        event(logging.getLogger("safeguarding.load"), "load", file='a "b".xml', status="loaded", rows=12)
        event(logging.getLogger("safeguarding.load"), "noise", logging.DEBUG, x=1)
        handler.flush()
    finally:
        logging.getLogger("safeguarding").removeHandler(handler)
        handler.close()
    (line,) = log_file.read_text(encoding="utf-8").splitlines()
    stamp, level, name, rest = line.split(" ", 3)
    assert stamp.endswith("Z") and level == "INFO" and name == "safeguarding.load"
    assert rest == 'event=load file="a \\"b\\".xml" status=loaded rows=12'


def test_an_unknown_log_level_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("SAFEGUARDING_LOG_LEVEL", "LOUD")
    with pytest.raises(settings.ConfigError, match="LOUD"):
        configure_logging()


def test_without_a_log_file_only_warnings_reach_standard_error(tmp_path):
    """A command's own one-line error stays the only line on standard error by default."""
    root = logging.getLogger("safeguarding")
    handler = configure_logging()
    try:
        assert root.level == logging.WARNING
    finally:
        root.removeHandler(handler)
    settings.configure(_write(tmp_path / "safeguarding.toml", "[logging]\nfile = 'x.log'\n"))
    handler = configure_logging()
    try:
        assert root.level == logging.INFO
    finally:
        root.removeHandler(handler)
        handler.close()
