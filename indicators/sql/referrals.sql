-- referrals: referrals to children's social care in the period (DfE C1 "Referrals"), one row per
-- referral. A referral is a CIN episode, keyed by the child and the referral date. A return with two
-- referrals (CINdetails) for one child on the same day is refused whole by the reader (structural
-- error S-DUPLICATE-EPISODE, pipelines/cin_child.py; DfE also treats overlapping CIN episodes as an
-- error), so no such pair reaches this table. Referrals that led to no further action are counted, as
-- DfE counts them. Unborn children are counted.
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
