-- cdop_review_12m_pct: of the child death reviews completed in the period, those completed within
-- 12 calendar months of the death (review date on or before the death date plus 12 months).
with periods as (
    select * from periods
),

reviews as (
    select la_code, death_key, review_completed_date, category_of_death, reviewed_within_12m
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
        case when reviewed_within_12m then 1 else 0 end as numerator, 1 as denominator
    from completed
)

select * from final
