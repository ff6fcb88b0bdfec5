-- measure_values: published values of named source measures (e.g. the numerator and the
-- denominator behind a percentage) for one LA and year.
with published as (
    select * from published_values
    where geographic_level = 'Local authority' and old_la_code = $la and time_period = $time_period
),

final as (
    select source_table, source_measure, indicator_id, value, status, release
    from published
)

select * from final
