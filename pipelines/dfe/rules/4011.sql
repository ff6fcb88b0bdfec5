-- code: 4011
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CINPlanEndDate
-- message: CIN Plan End Date earlier than Start Date
select child_no, CINPlanEndDate_line as line, CINPlanEndDate as value from cin_plan where plan_end < plan_start
