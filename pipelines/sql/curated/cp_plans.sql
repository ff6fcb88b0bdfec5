-- cp_plans: one row per child protection plan (child + start date); the newest return wins.
with current_loads as (
    select * from staging.current_census_loads
),

staged as (
    select p.*, l.reference_date
    from staging.cp_plans as p
    join current_loads as l using (load_id)
),

ranked as (
    select
        *,
        row_number() over (partition by plan_key order by reference_date desc, load_id desc) as rn,
        count(*) over (partition by plan_key) as returns_seen_in
    from staged
),

final as (
    select
        la_code, plan_key, episode_key, child_key, start_date, end_date, initial_category,
        latest_category, number_of_previous_cpp, returns_seen_in,
        reference_date as latest_reference_date, load_id as source_load_id
    from ranked
    where rn = 1
)

select * from final
