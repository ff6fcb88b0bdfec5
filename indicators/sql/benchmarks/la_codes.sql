-- la_codes: the code history of one LA (one row per ONS code it has had), with reorganisations.
with codes as (
    select * from la_codes where old_la_code = $la
),

final as (
    select
        old_la_code, new_la_code, la_name, region_code, region_name, first_time_period,
        last_time_period, is_current, predecessor_la_codes, successor_la_codes, created_on,
        abolished_on, reorganisation_note
    from codes
    order by first_time_period
)

select * from final
