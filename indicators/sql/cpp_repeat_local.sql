-- cpp_repeat_local_pct (NI65, local reading): of plans starting in the period, those where the
-- child had a plan before at any time: NumberOfPreviousCPP >= 1, OR an earlier plan for the child
-- in the loaded data. Not compared with D3, which uses NumberOfPreviousCPP only (cpp_repeat.sql).
with periods as (
    select * from periods
),

plans as (
    select la_code, plan_key, child_key, start_date, initial_category, latest_category,
        number_of_previous_cpp
    from cp_plans
),

with_history as (
    select
        p.*,
        exists (
            select 1 from plans as earlier
            where earlier.child_key = p.child_key and earlier.start_date < p.start_date
        ) as earlier_plan_in_data
    from plans as p
),

started as (
    select pe.label as period, h.*
    from periods as pe
    join with_history as h on h.start_date between pe.period_start and pe.period_end
),

final as (
    select
        period, la_code, child_key, plan_key, initial_category, latest_category,
        case when coalesce(number_of_previous_cpp, 0) >= 1 or earlier_plan_in_data then 1 else 0 end
            as numerator,
        1 as denominator
    from started
)

select * from final
