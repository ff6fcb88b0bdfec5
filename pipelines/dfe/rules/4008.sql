-- code: 4008
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CINPlanStartDate
-- message: CIN Plan shown as starting after the child’s Date of Death.
select p.child_no, p.CINPlanStartDate_line as line, p.CINPlanStartDate as value
from cin_plan p join child c using (child_no) where p.plan_start > c.death
