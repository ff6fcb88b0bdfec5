-- One LA's rows (or the partnership members' rows: $las) of a curated table, as a temporary table of the
-- same name that shadows it in this cursor (indicators/mart.py, _scope). {table} and {source} are
-- identifiers from the catalogue (la_tables.sql), quoted; the LA codes are a parameter.
create temp table {table} as
with

source as (
    select * from {source}
),

final as (
    select * from source where list_contains($las, la_code)
)

select * from final
