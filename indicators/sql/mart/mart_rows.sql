-- One indicator's rows from the mart for one LA (or every LA, or the partnership), one breakdown (or
-- all: null) and a set of period labels (or all: null). The mart is stored sorted by indicator, LA and breakdown, so the zone maps
-- skip all but a few row groups.
with

mart as (
    select * from indicator_mart
),

final as (
    select
        indicator_id, period, frequency, period_start, period_end, la_code, breakdown, "group",
        numerator, denominator, value, unit, status
    from mart
    where indicator_id = $indicator_id
        and ($breakdown is null or breakdown = $breakdown)
        and ($labels is null or list_contains($labels, period))
        and (la_code = $la or ($la is null and la_code <> $partnership))
)

select * from final
