-- published: published values filtered by indicator, LA, year and level (NULL = any).
with published as (
    select * from published_values
),

final as (
    select
        indicator_id, source_table, source_measure, time_period, period, geographic_level,
        area_code, old_la_code, area_name, region_code, value, status, decimals, release,
        source_file, superseded_rows, superseded_value_differs
    from published
    where ($indicator_id is null or indicator_id = $indicator_id)
        and ($la is null or old_la_code = $la)
        and ($time_period is null or time_period = $time_period)
        and ($level is null or geographic_level = $level)
        and ($mapped_only = false or indicator_id is not null)
    order by indicator_id, time_period, geographic_level, old_la_code, area_code
)

select * from final
