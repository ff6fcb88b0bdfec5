-- cdop_deaths: one row per child death notified to the Child Death Overview Panel. The same death
-- (death_key) in several extracts is one death: the extract dated latest wins, then the later
-- load, so a category corrected in a later extract replaces the earlier one and nothing is counted
-- twice. Lineage: source_load_id (the load the current row came from), first_load_id and
-- extracts_seen_in; every older version stays in staging.cdop_deaths.
with cdop_loads as (
    select load_id, reference_date as extract_date
    from loads
    where source_type = 'cdop' and status = 'loaded'
),

staged as (
    select d.*, l.extract_date
    from staging.cdop_deaths as d
    join cdop_loads as l using (load_id)
),

area_names as (
    select la_code, area_code, min(area_name) as area_name
    from (
        select la_code, area_code, area_name from area_population
        union all
        select la_code, area_code, area_name from area_lookup
    )
    group by la_code, area_code
),

ranked as (
    select
        *,
        row_number() over (partition by death_key order by extract_date desc, load_id desc) as rn,
        count(*) over (partition by death_key) as extracts_seen_in,
        min(load_id) over (partition by death_key) as first_load_id
    from staged
),

final as (
    select
        r.la_code, r.death_key, r.date_of_death, r.age_band, r.sex, r.ethnicity, r.area_code,
        coalesce(an.area_name, r.area_code) as area_name, r.notification_date,
        r.review_completed_date, r.place_of_death, r.expected, r.sudi, r.category_of_death,
        r.modifiable_factors, coalesce(r.stillbirth, false) as stillbirth,
        not coalesce(r.stillbirth, false) and r.age_band is distinct from '18 and over' as in_scope,
        date_diff('day', r.date_of_death, r.review_completed_date) as days_to_review,
        r.review_completed_date <= (r.date_of_death + interval 12 month)::date as reviewed_within_12m,
        r.extract_date as as_of, r.extracts_seen_in, r.first_load_id, r.load_id as source_load_id
    from ranked as r
    left join area_names as an using (la_code, area_code)
    where r.rn = 1
)

select * from final
