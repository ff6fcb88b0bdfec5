-- The curated tables that hold LA rows (an la_code column), which indicators/mart.py shadows with one
-- LA's rows while it computes that LA: every table of the main schema with an la_code column, except
-- the published reference tables ($public, indicators.access.PUBLIC_TABLES) and the mart itself.
with

tables as (
    select table_name from duckdb_tables()
    where database_name = current_database() and schema_name = 'main'
),

la_columns as (
    select table_name from duckdb_columns()
    where database_name = current_database() and schema_name = 'main' and column_name = 'la_code'
),

final as (
    select t.table_name
    from tables as t
    join la_columns as c on c.table_name = t.table_name
    where not list_contains($public, t.table_name)
        and t.table_name not in ('indicator_mart', 'indicator_mart_builds')
)

select table_name from final order by table_name
