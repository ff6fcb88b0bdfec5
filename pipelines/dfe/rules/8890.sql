-- code: 8890
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: S47ActualStartDate
-- message: A Section 47 enquiry is shown as starting when there is another Section 47 Enquiry ongoing
select distinct a.child_no, a.S47ActualStartDate_line as line, a.S47ActualStartDate as value
from s47 a join s47 b on a.child_no = b.child_no and a.ep_no = b.ep_no and a.s47_no <> b.s47_no
where a.s47_start >= b.s47_start and a.s47_start <= coalesce(b.icpc, $ref)
