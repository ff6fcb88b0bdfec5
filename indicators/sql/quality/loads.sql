-- loads: every file loaded (lineage), newest first.
with loads as (
    select * from loads
),

final as (
    select
        file_name, source_type, la_code,
        coalesce(collection_year, strftime(reference_date, '%Y-%m-%d')) as covers,
        reference_date, loaded_at, status, rule_issues,
        list_sum(map_values(rows_loaded)) as rows_loaded, file_sha256
    from loads
    order by loaded_at desc, file_name
)

select * from final
