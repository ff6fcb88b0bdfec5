-- local_authorities: every LA with published figures: DfE number -> latest name and region.
with codes as (
    select * from la_codes
),

final as (
    select
        old_la_code,
        arg_max(la_name, last_time_period) as la_name,
        arg_max(region_name, last_time_period) as region_name,
        bool_or(is_current) as is_current
    from codes
    group by old_la_code
    order by old_la_code
)

select * from final
