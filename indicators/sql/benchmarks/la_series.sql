-- la_series: one LA's published values of one indicator, every year, with the years DfE
-- published the indicator at all (England rows) so gaps in the LA's series show as NULL.
with published as (
    select * from published_values where indicator_id = $indicator_id
),

years as (
    select distinct time_period from published where geographic_level = 'National'
),

la as (
    select * from published
    where geographic_level = 'Local authority' and old_la_code = $la
),

final as (
    select
        y.time_period,
        printf('%d-%02d', y.time_period - 1, y.time_period % 100) as period,
        la.value,
        coalesce(la.status, 'no published row') as status,
        la.release,
        la.source_table
    from years as y
    left join la on la.time_period = y.time_period
    order by y.time_period
)

select * from final
