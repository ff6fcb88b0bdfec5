-- children: one row per child, taken from the newest current return that includes them.
with current_loads as (
    select * from staging.current_census_loads
),

staged as (
    select c.*, l.reference_date
    from staging.children as c
    join current_loads as l using (load_id)
),

ranked as (
    select
        *,
        row_number() over (partition by child_key order by reference_date desc, load_id desc) as rn,
        min(reference_date) over (partition by child_key) as first_reference_date
    from staged
),

final as (
    select
        la_code, child_key, upn_key, birth_month, expected_birth_month, sex, ethnicity,
        death_month, disabilities, age_at_reference as age_at_latest_reference,
        first_reference_date, reference_date as latest_reference_date,
        load_id as source_load_id
    from ranked
    where rn = 1
)

select * from final
