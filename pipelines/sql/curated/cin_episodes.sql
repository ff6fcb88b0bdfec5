-- cin_episodes: one row per CIN episode (child + referral date); the newest return wins.
with current_loads as (
    select * from staging.current_census_loads
),

staged as (
    select e.*, l.reference_date
    from staging.cin_episodes as e
    join current_loads as l using (load_id)
),

ranked as (
    select *, row_number() over (partition by episode_key order by reference_date desc, load_id desc) as rn
    from staged
),

final as (
    select
        la_code, episode_key, child_key, referral_date, referral_source, primary_need,
        closure_date, reason_for_closure, date_of_initial_cpc, referral_nfa,
        load_id as source_load_id
    from ranked
    where rn = 1
)

select * from final
