"""The `safeguarding validate` and `safeguarding ingest` commands: exit codes and messages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cin_builders import census, child, episode, plan, run_cli, write

pytestmark = pytest.mark.usefixtures("isolated_warehouse")

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cin"
THREE_FAULTS = FIXTURES / "three_faults.xml"
VALID = FIXTURES / "multi_episode.xml"
# three_faults.xml, by hand: <Sex>Q</Sex> on line 19 (child FAULT01), <Ethnicity>XXXX on line
# 37 and <CPPstartDate>2022-02-30 (no 30 February) on line 44 (both child FAULT02).
FAULTS = [
    "three_faults.xml:19: LAchildID FAULT01: <Sex> (value 'Q'):",
    "three_faults.xml:37: LAchildID FAULT02: <Ethnicity> (value 'XXXX'):",
    "three_faults.xml:44: LAchildID FAULT02: <CPPstartDate> (value '2022-02-30'):",
]


def test_validate_prints_every_fault_and_exits_1(isolated_warehouse):
    done = run_cli("validate", THREE_FAULTS)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    for expected in FAULTS:
        assert sum(line.startswith(expected) for line in lines) == 1, (expected, done.stdout)
    assert "[S-CODE, structural]" in lines[0] and "[S-DATE, structural]" in lines[2]
    assert lines[-1] == ("three_faults.xml: REJECTED: 3 structural error(s), 0 rule failure(s), 2 children")
    # validate loads nothing and needs no key.
    assert not isolated_warehouse.exists()
    assert not Path(os.environ["SAFEGUARDING_KEY_FILE"]).exists()
    assert not Path(os.environ["SAFEGUARDING_WAREHOUSE"]).exists()


def test_validate_valid_file_exits_0():
    done = run_cli("validate", VALID)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == (
        "multi_episode.xml: OK: 0 structural error(s), 0 rule failure(s), 2 children"
    )


def test_validate_rule_failures_pass_unless_strict(tmp_path):
    # Review 2022-05-01 before the plan's 2022-05-10 start: a rule failure only.
    src = write(
        tmp_path / "cin_201.xml",
        census([child("R1", episode("2022-04-20", plans=[plan("2022-05-10", reviews=["2022-05-01"])]))]),
    )
    done = run_cli("validate", src)
    assert done.returncode == 0
    assert "[R-REVIEW-OUTSIDE-PLAN, rule]" in done.stdout
    assert "cin_201.xml: OK: 0 structural error(s), 1 rule failure(s), 1 children" in done.stdout
    strict = run_cli("validate", "--strict", src)
    assert strict.returncode == 1 and "REJECTED" in strict.stdout


def test_ingest_bad_file_exits_nonzero_naming_file_line_child_and_element(isolated_warehouse):
    done = run_cli("ingest", THREE_FAULTS, "--warehouse", isolated_warehouse)
    assert done.returncode == 1
    assert "1 file(s) rejected (three_faults.xml)" in done.stderr
    assert "nothing was loaded" in done.stderr
    for expected in FAULTS:
        assert expected in done.stderr
    assert "loaded" not in done.stdout
    assert not isolated_warehouse.exists()


def test_ingest_good_file_exits_0_and_says_what_it_loaded(isolated_warehouse):
    done = run_cli("ingest", VALID, "--warehouse", isolated_warehouse)
    assert done.returncode == 0, done.stderr
    assert "multi_episode.xml: loaded (cin_census LA 201 2022-23; 2 children; 0 rule issues" in done.stdout
    assert "1 file(s) loaded" in done.stdout
    again = run_cli("ingest", VALID, "--warehouse", isolated_warehouse)
    assert again.returncode == 0
    assert "multi_episode.xml: unchanged" in again.stdout


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.xml", None, "the file does not exist"),
        ("empty.xml", "", "the file is empty"),
        ("notes.txt", "hello, world\n", "the file type is not recognised"),
    ],
)
def test_ingest_unusable_file_is_rejected(tmp_path, isolated_warehouse, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    done = run_cli("ingest", path, "--warehouse", isolated_warehouse)
    assert done.returncode == 1
    assert name in done.stderr and message in done.stderr
    assert not isolated_warehouse.exists()
