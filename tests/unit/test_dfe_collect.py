"""The DfE raw collector: fields the reader hands over become one row per element, read by DuckDB."""

from __future__ import annotations

import duckdb

from pipelines.dfe.collect import RawCollector, raw_sql


def _con(collector: RawCollector) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for module, table in collector.tables().items():
        con.register(f"arrow_{module}", table)
    con.execute(raw_sql())
    return con


def test_child_fields_from_every_place_keep_the_first_in_the_file():
    c = RawCollector()
    idents = {"LAchildID": ("C1", 5), "UPN": ("A100000000001", 6)}
    chars = {"Ethnicity": ("WBRI", 9), "UPN": ("B100000000001", 4)}  # a UPN above ChildIdentifiers
    loose = {"Sex": ("F", 12), "Colour": ("red", 13)}  # leaves directly under <Child>
    c.child(3, idents, chars, loose, [("MOB", 10), ("", 11)])
    con = _con(c)
    row = con.execute(
        "select child_no, line, LAchildID, LAchildID_line, UPN, UPN_line, Ethnicity, Sex, Sex_line, "
        "FormerUPN, FormerUPN_line from raw_child"
    ).fetchall()
    assert row == [(0, 3, "C1", 5, "B100000000001", 4, "WBRI", "F", 12, None, 3)]
    # An empty Disability is a row with no code (rule 8540 reports it), at its own line.
    assert con.execute("select * from raw_disability order by line").fetchall() == [
        (0, 10, "MOB", 10),
        (0, 11, None, 11),
    ]


def test_parts_are_numbered_within_their_episode_and_children_in_order():
    c = RawCollector(batch_children=1)  # a batch per child: rows from several batches
    c.child(1, {"LAchildID": ("C1", 2)}, {}, {}, [])
    c.episode(5, {"CINreferralDate": ("2024-05-01", 6)})
    c.episode(20, {"CINreferralDate": ("", 21)})  # empty: NULL text, its own line
    c.child(40, {"LAchildID": ("C2", 41)}, {}, {}, [])
    c.episode(45, {})
    con = _con(c)
    assert con.execute(
        "select child_no, ep_no, line, CINreferralDate, CINreferralDate_line from raw_episode order by line"
    ).fetchall() == [(0, 0, 5, "2024-05-01", 6), (0, 1, 20, None, 21), (1, 0, 45, None, 45)]
