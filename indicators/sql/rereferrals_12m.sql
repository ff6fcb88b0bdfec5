-- rereferral_12m_pct: of the referrals in the period, those within 12 months of a previous referral
-- for the same child (DfE C1 "Re_referrals_percent"). "Within 12 months": the previous referral is
-- on or after the day 12 calendar months before this one (29 Feb 2024 looks back to 28 Feb 2023)
-- and strictly before this one. Two referrals for one child on the same day never reach this table: the
-- reader refuses such a return (S-DUPLICATE-EPISODE, pipelines/cin_child.py).
with periods as (
    select * from periods
),

referrals as (
    select la_code, child_key, episode_key, referral_date
    from cin_episodes
),

received as (
    select pe.label as period, r.*
    from periods as pe
    join referrals as r on r.referral_date between pe.period_start and pe.period_end
),

flagged as (
    select
        r.*,
        exists (
            select 1
            from referrals as earlier
            where earlier.child_key = r.child_key
              and earlier.referral_date < r.referral_date
              and earlier.referral_date >= (r.referral_date - interval 12 month)::date
        ) as is_rereferral
    from received as r
),

final as (
    select
        period, la_code, child_key, null::varchar as plan_key,
        null::varchar as initial_category, null::varchar as latest_category,
        case when is_rereferral then 1 else 0 end as numerator,
        1 as denominator
    from flagged
)

select * from final
