-- code: 1104
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: DateOfInitialCPC
-- message: The date of the initial child protection conference cannot be before the referral date
select s.child_no, s.DateOfInitialCPC_line as line, s.DateOfInitialCPC as value
from s47 s join episode e using (child_no, ep_no) where s.icpc < e.referral
