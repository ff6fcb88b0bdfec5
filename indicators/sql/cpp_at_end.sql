-- cpp_at_end: children on a child protection plan on the last day of each period.
-- Unit: a child (counted once even if two plans overlap). Numerator 1 per child.
with periods as (
    select * from periods
),

plans as (
    select la_code, plan_key, child_key, start_date, end_date, initial_category, latest_category
    from cp_plans
),

open_at_end as (
    select pe.label as period, pl.*
    from periods as pe
    join plans as pl
        on pl.start_date <= pe.period_end
        and (pl.end_date is null or pl.end_date > pe.period_end)
),

one_per_child as (
    select
        period, la_code, child_key,
        arg_max(plan_key, start_date) as plan_key,
        arg_max(initial_category, start_date) as initial_category,
        arg_max(latest_category, start_date) as latest_category
    from open_at_end
    group by period, la_code, child_key
),

final as (
    select *, 1 as numerator, null::integer as denominator
    from one_per_child
)

select * from final
