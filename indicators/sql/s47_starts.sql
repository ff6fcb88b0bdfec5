-- s47_starts: section 47 enquiries starting in the period (DfE C4 "Section47"), every enquiry
-- counted (a child with two enquiries in the period counts twice).
with periods as (
    select * from periods
),

enquiries as (
    select la_code, child_key, episode_key, s47_start_date
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
        1 as numerator, null::integer as denominator
    from started
)

select * from final
