-- code: 8868
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: DateOfInitialCPC
-- message: CIN episode is shown as closed, however Section 47 enquiry is not shown as completed by ICPC date or ICPC not required flag
select s.child_no, s.DateOfInitialCPC_line as line, null as value
from s47 s join episode e using (child_no, ep_no)
where e.CINclosureDate is not null and s.DateOfInitialCPC is null and coalesce(s.not_required, false) = false
