-- cpp_repeat_pct (NI65, DfE D3): of plans starting in the period, those that are a second or
-- subsequent plan as the LA returned it: NumberOfPreviousCPP >= 1 (missing counts as 0). This is
-- the DfE reading, compared with D3. The local reading that also counts an earlier plan for the
-- child in the loaded data is cpp_repeat_local_pct (cpp_repeat_local.sql).
with periods as (
    select * from periods
),

plans as (
    select la_code, plan_key, child_key, start_date, initial_category, latest_category,
        number_of_previous_cpp
    from cp_plans
),

started as (
    select pe.label as period, p.*
    from periods as pe
    join plans as p on p.start_date between pe.period_start and pe.period_end
),

final as (
    select
        period, la_code, child_key, plan_key, initial_category, latest_category,
        case when coalesce(number_of_previous_cpp, 0) >= 1 then 1 else 0 end as numerator,
        1 as denominator
    from started
)

select * from final
