-- cpp_ended_2y_pct (NI64, D7): of plans that ENDED in the period, those that had lasted
-- 2 years or more. DfE (D7 / LAIT CPPlans2yrs): "more than 729 calendar days including the day
-- of cessation", so the days counted are end - start + 1 (both days on the plan) and the test is
-- end - start + 1 > 729: a plan from 1 Apr 2021 to 31 Mar 2023 (729 days apart) counts.
with periods as (
    select * from periods
),

plans as (
    select la_code, plan_key, child_key, start_date, end_date, initial_category, latest_category
    from cp_plans
    where end_date is not null
),

ended as (
    select pe.label as period, pl.*
    from periods as pe
    join plans as pl on pl.end_date between pe.period_start and pe.period_end
),

final as (
    select
        period, la_code, child_key, plan_key, initial_category, latest_category,
        case when date_diff('day', start_date, end_date) + 1 > 729 then 1 else 0 end as numerator,
        1 as denominator
    from ended
)

select * from final
