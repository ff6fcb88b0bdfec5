-- children: one row per child. From the newest current census return that includes them; a
-- child seen only in an in-year Annex A list comes from the newest such list.
with current_loads as (
    select * from staging.current_census_loads
),

annex_loads as (
    select * from staging.current_annex_a_loads
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

from_census as (
    select
        la_code, child_key, upn_key, birth_month, expected_birth_month, sex, ethnicity,
        death_month, disabilities, age_at_reference as age_at_latest_reference,
        first_reference_date, reference_date as latest_reference_date,
        load_id as source_load_id
    from ranked
    where rn = 1
),

annex_ranked as (
    select
        a.*, l.as_at,
        row_number() over (partition by a.child_key order by l.as_at desc, a.load_id desc) as rn,
        min(l.as_at) over (partition by a.child_key) as first_as_at
    from staging.annex_a_plans as a
    join annex_loads as l using (load_id)
),

from_annex_a as (
    select
        la_code, child_key, null::varchar as upn_key, birth_month,
        null::date as expected_birth_month, sex, ethnicity, null::date as death_month,
        null::varchar as disabilities, null::integer as age_at_latest_reference,
        first_as_at as first_reference_date, as_at as latest_reference_date,
        load_id as source_load_id
    from annex_ranked
    where rn = 1 and child_key not in (select child_key from from_census)
),

final as (
    select * from from_census
    union all
    select * from from_annex_a
)

select * from final
