-- code: 4004
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CINPlanEndDate
-- message: This child is showing more than one open CIN Plan, i.e. with no End Date
with open_ as (
    select *, count(*) over (partition by child_no, ep_no) as n from cin_plan where CINPlanEndDate is null
)
select child_no, line, null as value from open_ where n > 1
