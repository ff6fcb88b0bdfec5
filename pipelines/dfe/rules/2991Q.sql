-- code: 2991Q
-- severity: query
-- years: 2023-24 2024-25 2025-26
-- field: Section47
-- message: Please check and either amend data or provide a reason: A Section 47 module is recorded and there is no assessment on the episode
select distinct s.child_no, s.line, null as value from s47 s
where not exists (select 1 from assessment a where a.child_no = s.child_no and a.ep_no = s.ep_no)
