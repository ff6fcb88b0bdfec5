-- code: 8935
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CPPendDate
-- message: This child is showing more than one open Child Protection plan, i.e. with no End Date
with open_ as (select *, count(*) over (partition by child_no) as n from cpp where CPPendDate is null)
select child_no, line, null as value from open_ where n > 1
