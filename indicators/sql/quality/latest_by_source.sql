-- latest_by_source: the newest data date per LA and kind of file in use.
with loads as (
    select * from loads where status = 'loaded'
),

final as (
    select source_type, la_code, max(reference_date) as latest_data_date, count(*) as files,
        max(loaded_at) as last_loaded_at
    from loads
    group by source_type, la_code
    order by source_type, la_code
)

select * from final
