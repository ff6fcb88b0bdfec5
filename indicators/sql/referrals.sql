-- referrals: referrals to children's social care in the period (DfE C1 "Referrals"), one row per
-- referral. A referral is a CIN episode; the episode key is the child and the referral date, so two
-- referrals for one child on one day are one referral (as DfE counts them). Referrals that led to no
-- further action are counted, as DfE counts them. Unborn children are counted.
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

final as (
    select
        period, la_code, child_key, null::varchar as plan_key,
        null::varchar as initial_category, null::varchar as latest_category,
        1 as numerator, null::integer as denominator
    from received
)

select * from final
