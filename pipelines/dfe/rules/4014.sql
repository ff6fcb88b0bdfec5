-- code: 4014
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CINPlanStartDate
-- message: CIN Plan data contains overlapping dates
select distinct a.child_no, a.CINPlanStartDate_line as line, a.CINPlanStartDate as value
from cin_plan a join cin_plan b on a.child_no = b.child_no and (a.ep_no, a.plan_no) <> (b.ep_no, b.plan_no)
where a.plan_start >= b.plan_start and a.plan_start <= coalesce(b.plan_end, $ref)
