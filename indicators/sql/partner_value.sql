-- A partner agency measure (indicators/partner_measures.yaml) from the current returns in
-- partner_values. A period sums the numerators and denominators of the returned periods that lie
-- inside it (a year is its four quarters); a measure taken at the end of the period ($at_end, e.g.
-- staff with in-date training) takes the returned period that ends on the same day instead.
with periods as (
    select * from periods
),

returned as (
    select la_code, period_start, period_end, numerator, denominator
    from partner_values
    where measure_id = $measure
),

inside as (
    select pe.label as period, r.*
    from periods as pe
    join returned as r
        on (not $at_end and r.period_start >= pe.period_start and r.period_end <= pe.period_end)
        or ($at_end and r.period_end = pe.period_end)
),

final as (
    select
        period, la_code, null::varchar as child_key, null::varchar as plan_key,
        null::varchar as initial_category, null::varchar as latest_category,
        numerator, denominator
    from inside
)

select * from final
