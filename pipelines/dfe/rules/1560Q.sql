-- code: 1560Q
-- severity: query
-- years: 2023-24 2024-25 2025-26
-- field: FormerUPN
-- message: Please check and either amend or provide a reason: Former UPN wrongly formatted
select child_no, FormerUPN_line as line, FormerUPN as value from child
where FormerUPN is not null and not regexp_full_match(FormerUPN, '[A-Za-z][0-9]{12}')
