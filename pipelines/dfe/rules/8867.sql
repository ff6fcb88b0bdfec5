-- code: 8867
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: AssessmentAuthorisationDate
-- message: CIN episode is shown as closed, however Assessment is not shown as completed
select a.child_no, a.AssessmentAuthorisationDate_line as line, null as value
from assessment a join episode e using (child_no, ep_no)
where e.CINclosureDate is not null and a.AssessmentAuthorisationDate is null
