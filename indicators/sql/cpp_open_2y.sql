-- cpp_open_2y_pct (D5): of CHILDREN on a plan on the last day of the period, those who had been
-- on a plan continuously for 2 years or more by that day. A child with two overlapping open
-- plans counts once (as in cpp_at_end, whose count is this denominator), and has been on a plan
-- continuously since the earlier start. DfE (D5 / LAIT CPPlans2yrsActive): "more than 729
-- calendar days", counting both the start day and the last day of the period, so the test is
-- period end - start + 1 > 729. Categories are those of the latest plan, as in cpp_at_end.
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

one_per_child as (
    select
        period, la_code, child_key,
        any_value(period_end) as period_end,
        min(start_date) as first_start,
        arg_max(plan_key, start_date) as plan_key,
        arg_max(initial_category, start_date) as initial_category,
        arg_max(latest_category, start_date) as latest_category
    from open_at_end
    group by period, la_code, child_key
),

final as (
    select
        period, la_code, child_key, plan_key, initial_category, latest_category,
        case when date_diff('day', first_start, period_end) + 1 > 729 then 1 else 0 end as numerator,
        1 as denominator
    from one_per_child
)

select * from final
