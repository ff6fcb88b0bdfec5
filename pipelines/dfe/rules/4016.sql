-- code: 4016
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CINPlanStartDate
-- message: A CIN Plan has been reported as open at the same time as a Child Protection Plan.
select distinct p.child_no, p.CINPlanStartDate_line as line, p.CINPlanStartDate as value
from cin_plan p join cpp c using (child_no)
where p.plan_start >= c.cpp_start
    and (p.plan_start < c.cpp_end or (c.CPPendDate is null and p.plan_start <= $ref))
