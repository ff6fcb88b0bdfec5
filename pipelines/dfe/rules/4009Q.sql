-- code: 4009Q
-- severity: query
-- years: 2023-24 2024-25 2025-26
-- field: CINPlanEndDate
-- message: CIN Plan cannot end after the child’s Date of Death
select p.child_no, p.CINPlanEndDate_line as line, p.CINPlanEndDate as value
from cin_plan p join child c using (child_no) where p.plan_end > c.death
