-- code: 8898
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: AssessmentFactors
-- message: The assessment has more than one parental or child factors with the same code
with counted as (
    select *, count(*) over (partition by child_no, ep_no, ass_no, AssessmentFactors) as n
    from factor where AssessmentFactors is not null
)
select child_no, AssessmentFactors_line as line, AssessmentFactors as value from counted where n > 1
