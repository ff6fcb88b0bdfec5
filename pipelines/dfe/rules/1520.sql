-- code: 1520
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: UPN
-- message: More than one record with the same UPN.
with counted as (select *, count(*) over (partition by UPN) as n from child where UPN is not null)
select child_no, UPN_line as line, UPN as value from counted where n > 1
