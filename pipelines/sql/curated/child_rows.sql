-- {table}: rows that belong to a curated {parent} row. Rows come from the newest census return
-- with the parent, plus rows from other returns dated before that return's period (history it no longer
-- repeats). The same row seen in two returns is kept once, newest return first.
with current_loads as (
    select * from staging.current_census_loads
),

staged as (
    select s.*, l.reference_date
    from staging.{table} as s
    join current_loads as l using (load_id)
),

winners as (
    -- the newest census return that includes the parent (Annex A lists carry no such rows)
    select
        s.{parent_key},
        arg_max(s.load_id, l.reference_date) as source_load_id,
        max(l.period_start) as winner_period_start
    from staging.{parent} as s
    join current_loads as l using (load_id)
    group by s.{parent_key}
),

kept as (
    select s.*
    from staged as s
    join winners as w using ({parent_key})
    where s.load_id = w.source_load_id or s.{date_col} < w.winner_period_start
),

ranked as (
    select
        *,
        row_number() over (
            partition by {parent_key}, {date_col} order by reference_date desc, load_id desc
        ) as rn
    from kept
),

final as (
    select * exclude (rn, reference_date, load_id, source_line), load_id as source_load_id
    from ranked
    where rn = 1
)

select * from final
