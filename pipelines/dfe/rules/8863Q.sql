-- code: 8863Q
-- severity: query
-- years: 2023-24 2024-25 2025-26
-- field: AssessmentActualStartDate
-- message: An Assessment is shown as starting when there is another Assessment ongoing.
select distinct a.child_no, a.AssessmentActualStartDate_line as line, a.AssessmentActualStartDate as value
from assessment a join assessment b on a.child_no = b.child_no and a.ep_no = b.ep_no and a.ass_no <> b.ass_no
where a.a_start >= b.a_start and a.a_start <= coalesce(b.a_auth, $ref)
