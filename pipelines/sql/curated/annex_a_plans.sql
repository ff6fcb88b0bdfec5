-- annex_a_plans: every current Annex A List 7 row with its extract date, for the in-year
-- review-timeliness approximation (Annex A holds only the latest review date).
with annex_loads as (
    select * from staging.current_annex_a_loads
),

final as (
    select
        a.la_code, l.as_at, a.plan_key, a.child_key, a.start_date, a.end_date,
        a.initial_category, a.latest_category, a.last_review_date, a.number_of_previous_cpp,
        a.load_id as source_load_id
    from staging.annex_a_plans as a
    join annex_loads as l using (load_id)
)

select * from final
