"""Column buffers for staged rows, flushed in batches so memory stays flat on big files."""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa

_S, _D, _I, _B = pa.string(), pa.date32(), pa.int32(), pa.bool_()

# Staging table -> ordered (column, Arrow type). load_id and la_code are added on insert.
STAGING_SCHEMAS: dict[str, pa.Schema] = {
    "children": pa.schema(
        [
            ("child_key", _S),
            ("upn_key", _S),
            ("birth_month", _D),
            ("expected_birth_month", _D),
            ("sex", _S),
            ("ethnicity", _S),
            ("death_month", _D),
            ("disabilities", _S),
            ("age_at_reference", _I),
            ("unborn_at_reference", _B),
            ("source_line", _I),
        ]
    ),
    "cin_episodes": pa.schema(
        [
            ("episode_key", _S),
            ("child_key", _S),
            ("referral_date", _D),
            ("referral_source", _S),
            ("primary_need", _S),
            ("closure_date", _D),
            ("reason_for_closure", _S),
            ("date_of_initial_cpc", _D),
            ("referral_nfa", _B),
            ("source_line", _I),
        ]
    ),
    "assessments": pa.schema(
        [
            ("episode_key", _S),
            ("child_key", _S),
            ("start_date", _D),
            ("internal_review_date", _D),
            ("authorisation_date", _D),
            ("factors", _S),
            ("source_line", _I),
        ]
    ),
    "cin_plans": pa.schema(
        [("episode_key", _S), ("child_key", _S), ("start_date", _D), ("end_date", _D), ("source_line", _I)]
    ),
    "section47": pa.schema(
        [
            ("episode_key", _S),
            ("child_key", _S),
            ("s47_start_date", _D),
            ("icpc_target_date", _D),
            ("icpc_date", _D),
            ("icpc_not_required", _B),
            ("source_line", _I),
        ]
    ),
    "cp_plans": pa.schema(
        [
            ("plan_key", _S),
            ("episode_key", _S),
            ("child_key", _S),
            ("start_date", _D),
            ("end_date", _D),
            ("initial_category", _S),
            ("latest_category", _S),
            ("number_of_previous_cpp", _I),
            ("source_line", _I),
        ]
    ),
    "cp_reviews": pa.schema([("plan_key", _S), ("child_key", _S), ("review_date", _D), ("source_line", _I)]),
}


_EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal()


def _array(values: tuple, type_: pa.DataType) -> pa.Array:
    """One column as Arrow. Dates go through their day numbers: pyarrow converts Python date
    objects one by one (about 12x slower than converting ints and casting; bench/results.md)."""
    if type_ == _D:
        days = [None if d is None else d.toordinal() - _EPOCH_ORDINAL for d in values]
        return pa.array(days, type=pa.int32()).view(_D)
    return pa.array(values, type=type_)


class RowSink:
    """Collects rows per table; calls `flush` with Arrow tables every `batch_children` children."""

    def __init__(self, flush: Callable[[str, pa.Table], None] | None = None, batch_children: int = 5000):
        self._flush = flush
        self.batch_children = batch_children
        self.counts: dict[str, int] = dict.fromkeys(STAGING_SCHEMAS, 0)
        self._buffers: dict[str, list[tuple]] = {t: [] for t in STAGING_SCHEMAS}
        self._pending_children = 0

    def add(self, table: str, row: tuple) -> None:
        self._buffers[table].append(row)

    def end_child(self) -> None:
        self._pending_children += 1
        if self._pending_children >= self.batch_children:
            self.flush()

    def discard_child(self, marks: dict[str, int]) -> None:
        """Drop rows added since `marks` (a child that turned out to be rejected)."""
        for table, n in marks.items():
            del self._buffers[table][n:]

    def marks(self) -> dict[str, int]:
        return {t: len(rows) for t, rows in self._buffers.items()}

    def flush(self) -> None:
        for table, rows in self._buffers.items():
            if not rows:
                continue
            self.counts[table] += len(rows)
            if self._flush is not None:
                schema = STAGING_SCHEMAS[table]
                columns = list(zip(*rows, strict=True))
                arrays = [_array(col, f.type) for col, f in zip(columns, schema, strict=True)]
                self._flush(table, pa.Table.from_arrays(arrays, schema=schema))
            rows.clear()
        self._pending_children = 0
