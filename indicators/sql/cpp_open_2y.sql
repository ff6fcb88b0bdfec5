-- cpp_open_2y_pct (D5): of plans OPEN on the last day of the period, those that had run
-- 2 years or more by that day (period end minus start date of at least 730 days).
with periods as (
    select * from periods
),

plans as (
    select la_code, plan_key, child_key, start_date, end_date, initial_category, latest_category
    from cp_plans
),

open_at_end as (
    select pe.label as period, pe.period_end, pl.*
    from periods as pe
    join plans as pl
        on pl.start_date <= pe.period_end
        and (pl.end_date is null or pl.end_date > pe.period_end)
),

final as (
    select
        period, la_code, child_key, plan_key, initial_category, latest_category,
        case when date_diff('day', start_date, period_end) >= 730 then 1 else 0 end as numerator,
        1 as denominator
    from open_at_end
)

select * from final
