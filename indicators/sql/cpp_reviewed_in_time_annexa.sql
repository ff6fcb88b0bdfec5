-- cpp_reviewed_in_time_annexa_pct: the NI67 approximation from Annex A List 7 extracts, for
-- periods ending on an extract date. Only the latest review date is known, so the test is:
-- latest review + 6 months >= the day after the period end (as NI67), and a plan under 9 months old must have had a review
-- within 3 months of its start.
with periods as (
    select * from periods
),

extracts as (
    select la_code, as_at, plan_key, child_key, start_date, end_date, initial_category,
        latest_category, last_review_date
    from annex_a_plans
),

eligible as (
    select pe.label as period, pe.period_end, x.*
    from periods as pe
    join extracts as x
        on x.as_at = pe.period_end
        and x.start_date <= pe.period_end
        and (x.end_date is null or x.end_date > pe.period_end)
        and x.start_date + interval 3 month <= pe.period_end
),

one_per_child as (
    select * from eligible
    qualify row_number() over (partition by period, child_key order by start_date desc) = 1
),

final as (
    select
        period, la_code, child_key, plan_key, initial_category, latest_category,
        case
            when last_review_date is null then 0
            when last_review_date + interval 6 month < period_end + interval 1 day then 0
            when start_date + interval 9 month > period_end
                and last_review_date > start_date + interval 3 month then 0
            else 1
        end as numerator,
        1 as denominator
    from one_per_child
)

select * from final
