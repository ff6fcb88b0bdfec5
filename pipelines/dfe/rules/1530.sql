-- code: 1530
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: UPN
-- message: UPN invalid (characters 2-4 not a recognised LA code)
select child_no, UPN_line as line, UPN as value from child
where UPN is not null and substr(UPN, 2, 3) not in (select code from code_upn_la)
