-- ethnic_population: Census 2021 residents (ALL AGES) by DfE ethnicity code and LA, newest file
-- wins; old_la_code comes from the ONS population file. A proxy for the ethnic mix of children.
with staged as (
    select * from staging.ethnic_population
),

newest as (
    select * from staged
    qualify load_id = max(load_id) over (partition by area_code)
),

la_codes as (
    select distinct area_code, old_la_code from population
    where geographic_level = 'Local authority' and old_la_code is not null
),

final as (
    select
        n.area_code, l.old_la_code as la_code, any_value(n.area_name) as area_name, n.ethnicity,
        sum(n.population_all_ages) as population_all_ages, max(n.load_id) as source_load_id
    from newest as n
    left join la_codes as l using (area_code)
    group by n.area_code, l.old_la_code, n.ethnicity
)

select * from final
