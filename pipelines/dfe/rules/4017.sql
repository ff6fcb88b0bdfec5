-- code: 4017
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CPPstartDate
-- message: A CIN Plan has been reported as open at the same time as a Child Protection Plan.
select distinct c.child_no, c.CPPstartDate_line as line, c.CPPstartDate as value
from cpp c join cin_plan p using (child_no)
where c.cpp_start >= p.plan_start
    and (c.cpp_start < p.plan_end or (p.CINPlanEndDate is null and c.cpp_start <= $ref))
