-- population: ONS mid-year estimates of children aged 0-17 by geography; the newest file wins.
with staged as (
    select * from staging.population
),

ranked as (
    select
        *,
        row_number() over (
            partition by year, geographic_level, area_code, age_group order by load_id desc
        ) as rn
    from staged
),

final as (
    select
        year, geographic_level, area_code, old_la_code, area_name, age_group, population,
        status, load_id as source_load_id
    from ranked
    where rn = 1
)

select * from final
