-- assessment_45wd_pct and assessment_median_working_days: assessments completed (authorised) in the
-- period (DfE C2 "Assessments_completed"), with the working days from the referral to the
-- authorisation. `working_days` maps each date to the working days (England and Wales) up to and
-- including it, so the difference of two lookups counts the working days after the referral up to
-- the authorisation: the same day is 0; an authorisation on a bank holiday counts as the working
-- day before it. The numerator is the working days ($within_days is null) or whether the
-- assessment was completed within $within_days working days (1 or 0).
with periods as (
    select * from periods
),

episodes as (
    select episode_key, referral_date
    from cin_episodes
),

authorised_assessments as (
    select a.la_code, a.child_key, a.episode_key, a.authorisation_date, e.referral_date
    from assessments as a
    join episodes as e using (episode_key)
    where a.authorisation_date is not null
),

calendar as (
    select day, working_day_number from working_days
),

completed as (
    select pe.label as period, a.*
    from periods as pe
    join authorised_assessments as a on a.authorisation_date between pe.period_start and pe.period_end
),

measured as (
    select
        c.*,
        done.working_day_number - referred.working_day_number as working_days_taken
    from completed as c
    join calendar as referred on referred.day = c.referral_date
    join calendar as done on done.day = c.authorisation_date
),

final as (
    select
        period, la_code, child_key, null::varchar as plan_key,
        null::varchar as initial_category, null::varchar as latest_category,
        case
            when $within_days is null then working_days_taken
            when working_days_taken <= $within_days then 1
            else 0
        end as numerator,
        1 as denominator
    from measured
)

select * from final
