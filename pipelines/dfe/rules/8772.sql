-- code: 8772
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: UPNunknown
-- message: UPN unknown reason is UN7 (Referral with no further action) but at least one CIN details is a referral going on to further action
select child_no, UPNunknown_line as line, UPNunknown as value from child
where upper(UPNunknown) = 'UN7' and child_no in (select child_no from episode where nfa = false)
