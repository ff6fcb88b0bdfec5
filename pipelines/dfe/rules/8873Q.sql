-- code: 8873Q
-- severity: query
-- years: 2023-24 2024-25 2025-26
-- field: ReasonForClosure
-- message: Please check and either amend data or provide a reason: When there is only one assessment on the episode and the factors code “21 No factors identified” has been used for the completed assessment, the reason for closure ‘RC8’ or 'RC9' should be used.
-- Only closed episodes are queried (the peer also queries open ones, which have no reason to use yet).
with single as (
    select child_no, ep_no, min(ass_no) as ass_no from assessment group by child_no, ep_no having count(*) = 1
),
no_factors as (
    select distinct s.child_no, s.ep_no from single s
    join factor f using (child_no, ep_no, ass_no) where f.AssessmentFactors = '21'
)
select e.child_no, e.ReasonForClosure_line as line, e.ReasonForClosure as value
from episode e join no_factors using (child_no, ep_no)
where upper(e.ReasonForClosure) not in ('RC8', 'RC9')
