-- cdop_review_median_days: days from the death to the completed review, one row per review
-- completed in the period. The registry entry has `statistic: median`, so the value is the median
-- of these numerators (numerator and denominator are summed as usual: total days, reviews).
with periods as (
    select * from periods
),

reviews as (
    select la_code, death_key, review_completed_date, category_of_death, days_to_review
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
        days_to_review as numerator, 1 as denominator
    from completed
)

select * from final
