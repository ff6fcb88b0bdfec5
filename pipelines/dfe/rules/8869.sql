-- code: 8869
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: AssessmentFactors
-- message: The assessment factors code “21” cannot be used in conjunction with any other assessment factors.
with with21 as (select distinct child_no, ep_no, ass_no from factor where AssessmentFactors = '21')
select f.child_no, f.AssessmentFactors_line as line, f.AssessmentFactors as value
from factor f join with21 using (child_no, ep_no, ass_no) where coalesce(f.AssessmentFactors, '') <> '21'
