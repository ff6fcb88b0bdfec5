-- cp_plans: one row per child protection plan (child + start date). The same plan in several
-- census returns or Annex A lists is one plan; the source dated latest wins (census reference
-- date, or Annex A extract date), so in-year lists bring plans up to date after the census.
with census_loads as (
    select * from staging.current_census_loads
),

annex_loads as (
    select * from staging.current_annex_a_loads
),

from_census as (
    select
        p.la_code, p.plan_key, p.episode_key, p.child_key, p.start_date, p.end_date,
        p.initial_category, p.latest_category, p.number_of_previous_cpp,
        l.reference_date as as_of, p.load_id, 'cin_census' as source
    from staging.cp_plans as p
    join census_loads as l using (load_id)
),

from_annex_a as (
    select
        a.la_code, a.plan_key, null::varchar as episode_key, a.child_key, a.start_date,
        a.end_date, a.initial_category, a.latest_category, a.number_of_previous_cpp,
        l.as_at as as_of, a.load_id, 'annex_a' as source
    from staging.annex_a_plans as a
    join annex_loads as l using (load_id)
),

all_sources as (
    select * from from_census
    union all
    select * from from_annex_a
),

ranked as (
    select
        *,
        row_number() over (partition by plan_key order by as_of desc, load_id desc) as rn,
        count(*) over (partition by plan_key) as returns_seen_in,
        -- an Annex A row has no episode: keep the one the census gave the plan
        max(episode_key) over (partition by plan_key) as any_episode_key
    from all_sources
),

final as (
    select
        la_code, plan_key, coalesce(episode_key, any_episode_key) as episode_key, child_key,
        start_date, end_date, initial_category, latest_category, number_of_previous_cpp,
        returns_seen_in, as_of as latest_reference_date, source, load_id as source_load_id
    from ranked
    where rn = 1
)

select * from final
