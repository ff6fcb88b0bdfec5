-- code: 8614
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: AssessmentFactors
-- message: Parental or child factors at assessment should only be present for a completed assessment.
select distinct f.child_no, f.AssessmentFactors_line as line, f.AssessmentFactors as value
from factor f join assessment a using (child_no, ep_no, ass_no)
where a.AssessmentAuthorisationDate is null and f.AssessmentFactors is not null
