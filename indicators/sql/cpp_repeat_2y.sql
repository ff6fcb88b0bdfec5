-- cpp_repeat_2y_pct: of plans starting in the period, those where the child's previous plan
-- (in the loaded data) ended within 2 years before this plan's start date.
with periods as (
    select * from periods
),

plans as (
    select la_code, plan_key, child_key, start_date, end_date, initial_category, latest_category
    from cp_plans
),

with_recent as (
    select
        p.*,
        exists (
            select 1 from plans as earlier
            where earlier.child_key = p.child_key
                and earlier.start_date < p.start_date
                and earlier.end_date is not null
                and earlier.end_date <= p.start_date
                and earlier.end_date >= p.start_date - interval 2 year
        ) as previous_ended_within_2y
    from plans as p
),

started as (
    select pe.label as period, r.*
    from periods as pe
    join with_recent as r on r.start_date between pe.period_start and pe.period_end
),

final as (
    select
        period, la_code, child_key, plan_key, initial_category, latest_category,
        case when previous_ended_within_2y then 1 else 0 end as numerator,
        1 as denominator
    from started
)

select * from final
