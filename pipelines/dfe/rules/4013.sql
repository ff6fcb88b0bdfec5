-- code: 4013
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CINPlanEndDate
-- message: CIN Plan end date must fall within the census year
select child_no, CINPlanEndDate_line as line, CINPlanEndDate as value from cin_plan
where plan_end < $start or plan_end > $ref
