-- code: 8770Q
-- severity: query
-- years: 2023-24
-- field: UPN
-- message: Please check and either amend data or provide a reason: UPN or reason UPN missing expected for a child who is more than 5 years old
select child_no, UPN_line as line, null as value from child
where birth <= $ref - interval 6 year and UPN is null
    and coalesce(upper(UPNunknown), '') not in ('UN2', 'UN3', 'UN4', 'UN5', 'UN6', 'UN7')
    and child_no in (select child_no from episode where nfa = false)
