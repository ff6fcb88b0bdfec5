-- code: 4001
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CINPlanEndDate
-- message: A CIN Plan cannot run concurrently with a Child Protection Plan
select distinct p.child_no, p.line, null as value
from cin_plan p join cpp c using (child_no, ep_no)
where p.CINPlanEndDate is null and c.CPPendDate is null
