"""Readers for published DfE benchmark data: EES tidy CSVs, the LAIT parquet and statistical neighbours.

Every published cell becomes one long row (see `staging.published_values` and `cells`). Release
ordering (which figure wins when two files carry the same cell) is decided in
`pipelines/sql/curated/published_values.sql`: the newest release wins; within one release the
headline EES table (`source_rank` 1) beats a secondary EES table (2) and LAIT (3).

Where things are: ``cells`` (the long row: fields, schema, DfE markers, cell parsing, decimals, the
measure -> indicator map), ``ees`` (EES tables B1, C1, C2, C3, C4, D1, D3, D5, D6 and D7 of
"Characteristics of children in need"), ``derived`` (figures derived from EES parts: C2 within 45
working days, C3 neglect share), ``lait`` (the LAIT "big data set") and ``neighbours`` (the DfE
statistical neighbours model).
"""
