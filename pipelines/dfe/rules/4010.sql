-- code: 4010
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CINPlanStartDate
-- message: CIN Plan start date is missing or out of data collection period
select child_no, CINPlanStartDate_line as line, CINPlanStartDate as value from cin_plan
where CINPlanStartDate is null or plan_start > $ref
