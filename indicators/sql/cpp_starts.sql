-- cpp_starts: child protection plans starting in each period, every occasion counted.
with periods as (
    select * from periods
),

plans as (
    select la_code, plan_key, child_key, start_date, initial_category, latest_category
    from cp_plans
),

started as (
    select pe.label as period, pl.*
    from periods as pe
    join plans as pl on pl.start_date between pe.period_start and pe.period_end
),

final as (
    select
        period, la_code, child_key, plan_key, initial_category, latest_category,
        1 as numerator, null::integer as denominator
    from started
)

select * from final
