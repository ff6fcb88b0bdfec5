-- code: 8770Q
-- severity: query
-- years: 2024-25 2025-26
-- field: UPN
-- message: Please check and either amend data or provide a reason: UPN is missing or reason UPN is missing or is UN1 for a child who is of school age.
select child_no, UPN_line as line, null as value from child
where birth <= $ref + interval 4 month + interval 31 day - interval 6 year and UPN is null
    and coalesce(upper(UPNunknown), '') not in ('UN2', 'UN3', 'UN4', 'UN5', 'UN6', 'UN7')
    and child_no in (select child_no from episode where nfa = false)
