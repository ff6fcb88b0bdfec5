-- area_population: children aged 0-17 per ward or locality and census year, newest file wins.
with staged as (
    select * from staging.area_population
),

ranked as (
    select
        *,
        row_number() over (partition by la_code, area_code, year order by load_id desc) as rn
    from staged
),

final as (
    select la_code, area_code, area_name, year, population_0_17, load_id as source_load_id
    from ranked
    where rn = 1
)

select * from final
