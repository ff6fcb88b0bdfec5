-- cdop_reviews: one row per child death review the panel has completed, for the deaths the CDOP
-- indicators count (cdop_deaths.in_scope: residents aged 0-17, no stillbirths). The three review
-- indicators (cdop_review_12m.sql, cdop_review_days.sql, cdop_modifiable.sql) read this table, so
-- what counts as a completed review is decided once.
with deaths as (
    select * from cdop_deaths
),

completed as (
    select *
    from deaths
    where in_scope and review_completed_date is not null
),

final as (
    select
        la_code, death_key, date_of_death, review_completed_date, category_of_death,
        modifiable_factors, days_to_review, reviewed_within_12m, source_load_id
    from completed
)

select * from final
