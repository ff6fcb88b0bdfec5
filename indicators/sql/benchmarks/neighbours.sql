-- neighbours: an LA's 10 DfE statistical neighbours, closest first.
with neighbours as (
    select * from statistical_neighbours where la_code = $la
),

final as (
    select neighbour_rank, neighbour_la_code, neighbour_la_name, closeness, source_file
    from neighbours
    order by neighbour_rank
)

select * from final
