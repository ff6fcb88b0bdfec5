-- code: 8896
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: AssessmentAuthorisationDate
-- message: Within one CINDetails group there are 2 or more open Assessments groups
with open_ as (
    select *, count(*) over (partition by child_no, ep_no) as n from assessment
    where AssessmentAuthorisationDate is null
)
select child_no, line, null as value from open_ where n > 1
