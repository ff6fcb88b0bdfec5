-- code: 1550
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: UPN
-- message: UPN invalid (character 13 not a recognised value)
select child_no, UPN_line as line, UPN as value from child
where length(UPN) = 13 and not regexp_full_match(substr(UPN, 13, 1), '[0-9A-HJ-NP-RT-Z]')
