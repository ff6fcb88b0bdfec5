"""Small builders for CIN census XML returns used by the integration tests (not a test module)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import duckdb

SAFEGUARDING = Path(sys.executable).with_name("safeguarding")


def plan(
    start: str,
    end: str | None = None,
    *,
    category: str = "NEG",
    previous: int | None = 0,
    reviews: Sequence[str] = (),
) -> str:
    return "".join(
        [
            "      <ChildProtectionPlans>\n",
            f"        <CPPstartDate>{start}</CPPstartDate>\n",
            f"        <CPPendDate>{end}</CPPendDate>\n" if end else "",
            f"        <InitialCategoryOfAbuse>{category}</InitialCategoryOfAbuse>\n",
            f"        <NumberOfPreviousCPP>{previous}</NumberOfPreviousCPP>\n"
            if previous is not None
            else "",
            "        <Reviews>\n",
            *(f"          <CPPreviewDate>{r}</CPPreviewDate>\n" for r in reviews),
            "        </Reviews>\n",
            "      </ChildProtectionPlans>\n",
        ]
    )


def episode(
    referral: str,
    closure: str | None = None,
    *,
    plans: Sequence[str] = (),
    assessment: str | None = None,
    s47: str | None = None,
) -> str:
    return "".join(
        [
            "    <CINdetails>\n",
            f"      <CINreferralDate>{referral}</CINreferralDate>\n",
            "      <ReferralSource>1A</ReferralSource>\n",
            "      <PrimaryNeedCode>N1</PrimaryNeedCode>\n",
            f"      <CINclosureDate>{closure}</CINclosureDate>\n" if closure else "",
            (
                "      <Assessments>\n"
                f"        <AssessmentActualStartDate>{assessment}</AssessmentActualStartDate>\n"
                "      </Assessments>\n"
            )
            if assessment
            else "",
            (
                "      <Section47>\n"
                f"        <S47ActualStartDate>{s47}</S47ActualStartDate>\n"
                "      </Section47>\n"
            )
            if s47
            else "",
            "      <ReferralNFA>false</ReferralNFA>\n",
            *plans,
            "    </CINdetails>\n",
        ]
    )


def child(
    la_child_id: str,
    *episodes: str,
    birth: str = "2015-01-17",
    sex: str = "M",
    ethnicity: str = "WBRI",
    upn: str | None = None,
) -> str:
    return "".join(
        [
            "  <Child>\n",
            "   <ChildIdentifiers>\n",
            f"    <LAchildID>{la_child_id}</LAchildID>\n",
            f"    <UPN>{upn}</UPN>\n" if upn else "",
            f"    <PersonBirthDate>{birth}</PersonBirthDate>\n",
            f"    <Sex>{sex}</Sex>\n",
            "   </ChildIdentifiers>\n",
            "   <ChildCharacteristics>\n",
            f"    <Ethnicity>{ethnicity}</Ethnicity>\n",
            "   </ChildCharacteristics>\n",
            *episodes,
            "  </Child>\n",
        ]
    )


def census(
    children: Iterable[str],
    *,
    la: str = "201",
    ref: str = "2023-03-31",
    generated: str = "2023-05-01T09:00:00",
) -> str:
    return "".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>\n<Message>\n <Header>\n  <CollectionDetails>\n',
            "   <Collection>CIN</Collection>\n",
            f"   <Year>{ref[:4]}</Year>\n",
            f"   <ReferenceDate>{ref}</ReferenceDate>\n",
            "  </CollectionDetails>\n  <Source>\n",
            f"   <LEA>{la}</LEA>\n",
            f"   <DateTime>{generated}</DateTime>\n",
            "  </Source>\n </Header>\n <Children>\n",
            *children,
            " </Children>\n</Message>\n",
        ]
    )


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def big_census(path: Path, n_children: int, *, la: str = "202", ref: str = "2023-03-31") -> Path:
    """A valid return with n children, each with one episode, one plan and three reviews."""
    kids = []
    for i in range(n_children):
        month = 1 + i % 9  # plans start Jan-Sep 2022, reviews follow within the year
        kids.append(
            child(
                f"BIG{i:07d}",
                episode(
                    f"2022-{month:02d}-01",
                    assessment=f"2022-{month:02d}-02",
                    s47=f"2022-{month:02d}-03",
                    plans=[
                        plan(
                            f"2022-{month:02d}-10",
                            reviews=[
                                f"2022-{month + 1:02d}-05",
                                f"2022-{month + 2:02d}-05",
                                f"2022-{month + 3:02d}-05",
                            ],
                        )
                    ],
                ),
                birth=f"{2008 + i % 14}-0{1 + i % 9}-15",
                sex="MFU"[i % 3],
            )
        )
    return write(path, census(kids, la=la, ref=ref))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def table_hashes(warehouse: Path) -> dict[str, tuple]:
    """Row count and an order-independent content hash of every table, opened read-only."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = con.execute("select schema_name, table_name from duckdb_tables() order by all").fetchall()
        return {
            f"{s}.{t}": con.execute(
                f'select count(*), sum(hash(x::varchar)) from "{s}"."{t}" as x'
            ).fetchone()
            for s, t in tables
        }
    finally:
        con.close()


def query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def run_cli(*args: str | Path, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run the `safeguarding` console script with the test's environment (key file etc.)."""
    return subprocess.run(
        [str(SAFEGUARDING), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=dict(os.environ),
    )


def ingest_killed_after(source: Path, warehouse: Path, delay: float, timeout: float = 60):
    """Start `safeguarding ingest`, SIGKILL it after `delay` seconds if still running, wait."""
    import signal
    import time

    proc = subprocess.Popen(
        [str(SAFEGUARDING), "ingest", str(source), "--warehouse", str(warehouse)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ),
    )
    time.sleep(delay)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=timeout)
    return proc
