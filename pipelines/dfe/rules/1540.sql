-- code: 1540
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: UPN
-- message: UPN invalid (characters 5-12 not all numeric)
select child_no, UPN_line as line, UPN as value from child
where UPN is not null and not regexp_full_match(substr(UPN, 5, 8), '[0-9]{8}')
