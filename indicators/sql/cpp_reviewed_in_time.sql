-- cpp_reviewed_in_time_pct (NI67, D6): children on a plan at period end who had been on it
-- for at least 3 months, and whether every review was in time:
--   first review <= start + 3 calendar months; each later review <= previous + 6 months;
--   latest review + 6 months >= the day after the period end (the next review is not yet
--   overdue on the last day). DuckDB month arithmetic clamps to month end (31 Aug + 6 months =
--   28/29 Feb), matching indicators.periods.add_months. The test is written from the review
--   forwards, not from the period end backwards: a review on 30 Sep is due again by 30 Mar, so
--   it is one day overdue on 31 Mar, although 31 Mar - 6 months is 30 Sep.
with periods as (
    select * from periods
),

plans as (
    select la_code, plan_key, child_key, start_date, end_date, initial_category, latest_category
    from cp_plans
),

reviews as (
    select plan_key, review_date from cp_reviews
),

eligible as (
    select pe.label as period, pe.period_end, pl.*
    from periods as pe
    join plans as pl
        on pl.start_date <= pe.period_end
        and (pl.end_date is null or pl.end_date > pe.period_end)
        and pl.start_date + interval 3 month <= pe.period_end
),

one_per_child as (
    select * from eligible
    qualify row_number() over (partition by period, child_key order by start_date desc) = 1
),

sequenced as (
    select
        e.period, e.plan_key, e.start_date, e.period_end, r.review_date,
        lag(r.review_date) over (partition by e.period, e.plan_key order by r.review_date)
            as previous_review
    from one_per_child as e
    join reviews as r
        on r.plan_key = e.plan_key
        and r.review_date >= e.start_date
        and r.review_date <= e.period_end
),

timeliness as (
    select
        period, plan_key,
        bool_or(
            case
                when previous_review is null then review_date > start_date + interval 3 month
                else review_date > previous_review + interval 6 month
            end
        ) as any_late,
        max(review_date) as latest_review,
        any_value(period_end) as period_end
    from sequenced
    group by period, plan_key
),

final as (
    select
        e.period, e.la_code, e.child_key, e.plan_key, e.initial_category, e.latest_category,
        case
            when t.plan_key is not null
                and not t.any_late
                and t.latest_review + interval 6 month >= t.period_end + interval 1 day
            then 1 else 0
        end as numerator,
        1 as denominator
    from one_per_child as e
    left join timeliness as t using (period, plan_key)
)

select * from final
