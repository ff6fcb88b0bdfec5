-- area_lookup: each child's ward or locality, from the newest area lookup file loaded.
with staged as (
    select * from staging.area_lookup
),

ranked as (
    select *, row_number() over (partition by la_code, child_key order by load_id desc) as rn
    from staged
),

final as (
    select la_code, child_key, area_code, area_name, load_id as source_load_id
    from ranked
    where rn = 1
)

select * from final
