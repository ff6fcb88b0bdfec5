-- assessment_factor_pct: of the assessments completed (authorised) in the period with factors recorded
-- (DfE C3 "Episodes_with_assessment_factor"), those where a factor was identified: any code but 21
-- ("No factors identified"). `factor_groups` lists each assessment's distinct codes, named as DfE names
-- them with the code ("Domestic abuse: parent or carer (3B)", from the registered relation
-- `assessment_factor_labels`, vocabulary/assessment_factors.py; an unknown code is its own name), for
-- the `assessment_factor` breakdown: an assessment is in the group of every code identified, and each
-- group's share is of all these assessments (indicators/enrich.py, MULTI_VALUED).
with periods as (
    select * from periods
),

factor_labels as (
    select code, label from assessment_factor_labels
),

recorded_assessments as (
    select la_code, child_key, authorisation_date, factors
    from assessments
    where authorisation_date is not null and factors is not null and factors <> ''
),

completed as (
    select pe.label as period, a.la_code, a.child_key, a.factors, row_number() over () as unit_id
    from periods as pe
    join recorded_assessments as a on a.authorisation_date between pe.period_start and pe.period_end
),

identified as (
    select c.unit_id, trim(f.code) as code
    from completed as c
    cross join unnest(string_split(c.factors, ',')) as f(code)
    where trim(f.code) <> ''
),

by_assessment as (
    select
        i.unit_id,
        list(distinct coalesce(l.label, i.code)) as factor_groups,
        bool_or(i.code <> '21') as any_identified
    from identified as i
    left join factor_labels as l on l.code = i.code
    group by i.unit_id
),

final as (
    select
        c.period, c.la_code, c.child_key, null::varchar as plan_key,
        null::varchar as initial_category, null::varchar as latest_category,
        case when b.any_identified then 1 else 0 end as numerator,
        1 as denominator,
        b.factor_groups
    from completed as c
    join by_assessment as b on b.unit_id = c.unit_id
)

select * from final
