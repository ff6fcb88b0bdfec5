-- cdop_deaths: child deaths notified to the Child Death Overview Panel in each period. Residents
-- only (la_code is the LA of residence), aged 0-17 (not 18 or over at death) and no stillbirths:
-- cdop_deaths.in_scope. One row per death, counted once however many extracts hold it; the death
-- key stands in child_key and the category of death (set at review) in the category columns.
with periods as (
    select * from periods
),

deaths as (
    select la_code, death_key, notification_date, category_of_death
    from cdop_deaths
    where in_scope
),

notified as (
    select pe.label as period, d.*
    from periods as pe
    join deaths as d on d.notification_date between pe.period_start and pe.period_end
),

final as (
    select
        period, la_code, death_key as child_key, null::varchar as plan_key,
        category_of_death as initial_category, category_of_death as latest_category,
        1 as numerator, null::integer as denominator
    from notified
)

select * from final
