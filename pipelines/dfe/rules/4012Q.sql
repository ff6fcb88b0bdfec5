-- code: 4012Q
-- severity: query
-- years: 2023-24 2024-25 2025-26
-- field: CINPlanEndDate
-- message: Please check and either amend or provide a reason: CIN Plan shown as starting and ending on the same day
select child_no, CINPlanEndDate_line as line, CINPlanEndDate as value from cin_plan where plan_end = plan_start
