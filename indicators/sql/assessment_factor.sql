-- assessment_factor_*_pct: of the assessments completed (authorised) in the period with factors
-- recorded (DfE C3 "Episodes_with_assessment_factor"), those where any of the factor codes
-- $codes was identified at the end of the assessment (DfE C3 factor columns). `factors` holds the
-- assessment's codes comma-separated; code 21 (no factors identified) is a recorded factor.
with periods as (
    select * from periods
),

recorded_assessments as (
    select la_code, child_key, authorisation_date, string_split(factors, ',') as codes
    from assessments
    where authorisation_date is not null and factors is not null and factors <> ''
),

completed as (
    select pe.label as period, a.*
    from periods as pe
    join recorded_assessments as a on a.authorisation_date between pe.period_start and pe.period_end
),

final as (
    select
        period, la_code, child_key, null::varchar as plan_key,
        null::varchar as initial_category, null::varchar as latest_category,
        case when len(list_intersect(codes, $codes)) > 0 then 1 else 0 end as numerator,
        1 as denominator
    from completed
)

select * from final
