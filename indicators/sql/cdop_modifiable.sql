-- cdop_modifiable_pct: of the child death reviews the panel completed in the period, those where
-- it found modifiable factors (modifiable_factors = 'Y'; N and U, insufficient information, count
-- in the denominator only). In scope: residents aged 0-17, no stillbirths.
with periods as (
    select * from periods
),

reviews as (
    select la_code, death_key, review_completed_date, category_of_death, modifiable_factors
    from cdop_reviews  -- completed reviews of in-scope deaths (pipelines/sql/curated/cdop_reviews.sql)
),

completed as (
    select pe.label as period, r.*
    from periods as pe
    join reviews as r on r.review_completed_date between pe.period_start and pe.period_end
),

final as (
    select
        period, la_code, death_key as child_key, null::varchar as plan_key,
        category_of_death as initial_category, category_of_death as latest_category,
        case when modifiable_factors = 'Y' then 1 else 0 end as numerator, 1 as denominator
    from completed
)

select * from final
