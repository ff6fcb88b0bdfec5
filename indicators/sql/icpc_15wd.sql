-- icpc_15wd_pct: initial child protection conferences held in the period, and whether each was
-- within 15 working days of the section 47 start. `working_days` maps every date to the number
-- of working days (England and Wales) up to and including it, so the difference of two
-- lookups is the working days after the start up to the conference.
with periods as (
    select * from periods
),

enquiries as (
    select la_code, child_key, episode_key, s47_start_date, icpc_date
    from section47
    where icpc_date is not null and s47_start_date is not null
),

calendar as (
    select day, working_day_number from working_days
),

held as (
    select pe.label as period, e.*
    from periods as pe
    join enquiries as e on e.icpc_date between pe.period_start and pe.period_end
),

measured as (
    select
        h.*,
        icpc.working_day_number - s47.working_day_number as working_days_taken
    from held as h
    join calendar as s47 on s47.day = h.s47_start_date
    join calendar as icpc on icpc.day = h.icpc_date
),

final as (
    select
        period, la_code, child_key, null::varchar as plan_key,
        null::varchar as initial_category, null::varchar as latest_category,
        case when working_days_taken <= 15 then 1 else 0 end as numerator,
        1 as denominator
    from measured
)

select * from final
