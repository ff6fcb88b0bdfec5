-- cin_at_end: children in need on the last day of the period (DfE B1 "At31_episodes"): a CIN
-- episode is open on a day if the referral was on or before that day and it had not closed by it
-- (no closure date, or a closure date after that day). A referral on the last day counts; an
-- episode closed on the last day does not. A child with two open episodes counts once.
with periods as (
    select * from periods
),

episodes as (
    select la_code, child_key, referral_date, closure_date
    from cin_episodes
),

open_at_end as (
    select distinct pe.label as period, e.la_code, e.child_key
    from periods as pe
    join episodes as e
        on e.referral_date <= pe.period_end
        and (e.closure_date is null or e.closure_date > pe.period_end)
),

final as (
    select
        period, la_code, child_key, null::varchar as plan_key,
        null::varchar as initial_category, null::varchar as latest_category,
        1 as numerator, null::integer as denominator
    from open_at_end
)

select * from final
