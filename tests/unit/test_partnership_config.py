"""partnership.yaml is validated on load; errors name the file and the entry."""

from __future__ import annotations

import pytest

from indicators.pooled import _intersect
from vocabulary.partnership import (
    DEFAULT_PATH,
    PARTNERSHIP,
    PartnershipConfigError,
    load_partnership,
    parse_partnership,
    partnership,
)


def test_the_shipped_file_names_leicester_leicestershire_and_rutland():
    p = load_partnership(DEFAULT_PATH)
    assert p.la_codes == ("856", "855", "857")
    assert p.name_of("857") == "Rutland" and p.name_of(PARTNERSHIP) == p.name


def test_integer_codes_are_read_as_three_digits():
    p = parse_partnership(
        {"name": "P", "members": [{"la_code": 856, "name": "A"}, {"la_code": "855", "name": "B"}]}
    )
    assert p.la_codes == ("856", "855")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "expected a mapping"),
        ({"members": []}, "name: the partnership needs a name"),
        ({"name": "P", "members": [{"la_code": "856", "name": "A"}]}, "two or more member LAs"),
        (
            {"name": "P", "members": [{"la_code": "856", "name": "A"}, {"la_code": "85", "name": "B"}]},
            "member 2 (85): la_code: String should match pattern",
        ),
        (
            {"name": "P", "members": [{"la_code": "856", "name": "A"}, {"la_code": "856", "name": "B"}]},
            "member 2 (856): LA 856 is listed twice",
        ),
        (
            {"name": "P", "members": [{"la_code": "856", "name": "A"}, {"la_code": "855"}]},
            "member 2 (855): name: Field required",
        ),
        ({"name": "P", "members": [], "agencies": []}, "unknown key(s) agencies"),
    ],
)
def test_errors_name_the_file_and_the_entry(data, message):
    with pytest.raises(PartnershipConfigError) as err:
        parse_partnership(data, "partnership.yaml")
    assert str(err.value).startswith("partnership.yaml: ")
    assert message in str(err.value)


def test_a_missing_or_broken_file_is_named(tmp_path):
    with pytest.raises(PartnershipConfigError, match="does not exist"):
        load_partnership(tmp_path / "none.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n")
    with pytest.raises(PartnershipConfigError, match=f"{bad}: not valid YAML"):
        load_partnership(bad)


def test_pooled_coverage_is_the_days_every_member_covers():
    from datetime import date as d

    a = [(d(2020, 4, 1), d(2022, 3, 31)), (d(2023, 4, 1), d(2024, 3, 31))]
    b = [(d(2021, 4, 1), d(2024, 3, 31))]
    assert _intersect(a, b) == [(d(2021, 4, 1), d(2022, 3, 31)), (d(2023, 4, 1), d(2024, 3, 31))]
    assert _intersect(a, []) == []


def _partnership_file(path, name: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"name: {name}\nmembers:\n  - {{la_code: '401', name: A}}\n  - {{la_code: '402', name: B}}\n",
        encoding="utf-8",
    )
    return path


def test_the_file_is_found_like_the_las_other_configuration(tmp_path, monkeypatch):
    """The config directory's copy wins over the shipped file; paths.partnership in safeguarding.toml
    wins over both; its environment variable wins over the file."""
    from vocabulary import settings

    for name in ("SAFEGUARDING_PARTNERSHIP", "SAFEGUARDING_CONFIG_DIR", settings.CONFIG_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "etc" / "safeguarding.toml"
    config.parent.mkdir()
    try:
        settings.configure(None)
        assert partnership().source == str(DEFAULT_PATH)
        own = _partnership_file(tmp_path / "etc" / "la" / "partnership.yaml", "Own copy")
        config.write_text('[paths]\nconfig_dir = "la"\n', encoding="utf-8")
        settings.configure(config)
        assert (partnership().name, partnership().source) == ("Own copy", str(own))
        named = _partnership_file(tmp_path / "etc" / "other.yaml", "Named in the file")
        config.write_text('[paths]\nconfig_dir = "la"\npartnership = "other.yaml"\n', encoding="utf-8")
        settings.configure(config)
        assert (partnership().name, partnership().source) == ("Named in the file", str(named))
        env = _partnership_file(tmp_path / "env.yaml", "Named in the environment")
        monkeypatch.setenv("SAFEGUARDING_PARTNERSHIP", str(env))
        assert partnership().name == "Named in the environment"
        assert settings.get("paths.partnership") == str(env)
    finally:
        settings._ACTIVE.clear()
