-- code: 4003
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CPPreviewDate
-- message: A CPP review date is shown as being held at the same time as an open CIN Plan.
-- A review on the plan's own end date is allowed (a step-down, where the CIN plan starts that day).
select distinct r.child_no, r.CPPreviewDate_line as line, r.CPPreviewDate as value
from review r
join cpp c using (child_no, ep_no, cpp_no)
join cin_plan p using (child_no, ep_no)
where r.review_date >= p.plan_start
    and (p.CINPlanEndDate is null or r.review_date <= p.plan_end)
    and r.review_date is distinct from c.cpp_end
