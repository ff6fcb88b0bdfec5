-- code: 4015
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CINPlanStartDate
-- message: The CIN Plan start date cannot be before the referral date
select p.child_no, p.CINPlanStartDate_line as line, p.CINPlanStartDate as value
from cin_plan p join episode e using (child_no, ep_no) where p.plan_start < e.referral
