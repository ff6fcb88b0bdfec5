-- statistical_neighbours: each LA's 10 DfE statistical neighbours, ranked (1 = closest), from the
-- newest statistical neighbours file loaded. A model is used whole: a newer file replaces an
-- older one for every LA, never mixed.
with staged as (
    select * from staging.statistical_neighbours
),

loads as (
    select load_id, file_name from main.loads
),

la_codes as (
    select * from main.la_codes
),

newest as (
    select * from staged where load_id = (select max(load_id) from staged)
),

names as (
    select distinct la_code, la_name from newest
),

regions as (
    select old_la_code, arg_max(region_code, last_time_period) as region_code,
        arg_max(la_name, last_time_period) as la_name
    from la_codes
    group by old_la_code
),

final as (
    select
        s.la_code,
        s.la_name,
        r.region_code,
        s.region_name,
        s.neighbour_rank,
        s.neighbour_la_code,
        coalesce(n.la_name, nr.la_name) as neighbour_la_name,
        s.closeness,
        l.file_name as source_file,
        s.load_id as source_load_id
    from newest as s
    left join names as n on n.la_code = s.neighbour_la_code
    left join regions as r on r.old_la_code = s.la_code
    left join regions as nr on nr.old_la_code = s.neighbour_la_code
    left join loads as l on l.load_id = s.load_id
    order by s.la_code, s.neighbour_rank
)

select * from final
