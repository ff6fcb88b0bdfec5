-- code: 2884
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: DateOfInitialCPC
-- message: An initial child protection conference is recorded at both the S47 and CIN Details level and it should only be recorded in one
select distinct e.child_no, e.DateOfInitialCPC_line as line, e.DateOfInitialCPC as value
from episode e join s47 s using (child_no, ep_no) where e.icpc = s.icpc
