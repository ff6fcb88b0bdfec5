-- cdop_extracts: one row per current CDOP extract and LA: the span it covers (from the first day of
-- the month of its earliest notification to its extract date), what it holds, and how many of its
-- rows are still the current version of their death (the rest were updated by a later extract).
with cdop_loads as (
    select load_id, file_name, reference_date as extract_date
    from loads
    where source_type = 'cdop' and status = 'loaded'
),

staged as (
    select * from staging.cdop_deaths
),

current_rows as (
    select source_load_id as load_id, death_key from cdop_deaths
),

final as (
    select
        s.la_code, l.load_id, l.file_name, l.extract_date,
        date_trunc('month', min(s.notification_date))::date as covered_from,
        l.extract_date as covered_to,
        min(s.notification_date) as first_notification,
        max(s.notification_date) as last_notification,
        count(*) as deaths_in_extract,
        count(s.review_completed_date) as reviews_in_extract,
        count(c.death_key) as deaths_current
    from staged as s
    join cdop_loads as l using (load_id)
    left join current_rows as c on c.load_id = s.load_id and c.death_key = s.death_key
    group by s.la_code, l.load_id, l.file_name, l.extract_date
)

select * from final
