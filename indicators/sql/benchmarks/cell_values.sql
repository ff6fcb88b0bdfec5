-- cell_values: every published value of one indicator in one year: England, regions and LAs.
with published as (
    select * from published_values
    where indicator_id = $indicator_id and time_period = $time_period
),

final as (
    select
        geographic_level, area_code, old_la_code, area_name, region_code, value, status, decimals,
        release, source_table, source_measure, source_file
    from published
    order by geographic_level, old_la_code, area_code
)

select * from final
