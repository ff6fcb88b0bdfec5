-- s47_icpc_pct: of the section 47 enquiries that started in the period, those that led to an
-- initial child protection conference (a DateOfInitialCPC is recorded for the enquiry, whenever
-- it was held). Enquiries still awaiting a decision at the latest return count as not (yet) leading
-- to one, so the latest months read low until the next return.
with periods as (
    select * from periods
),

enquiries as (
    select la_code, child_key, episode_key, s47_start_date, icpc_date
    from section47
    where s47_start_date is not null
),

started as (
    select pe.label as period, e.*
    from periods as pe
    join enquiries as e on e.s47_start_date between pe.period_start and pe.period_end
),

final as (
    select
        period, la_code, child_key, null::varchar as plan_key,
        null::varchar as initial_category, null::varchar as latest_category,
        case when icpc_date is not null then 1 else 0 end as numerator,
        1 as denominator
    from started
)

select * from final
