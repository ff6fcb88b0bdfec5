-- code: 2889
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: S47ActualStartDate
-- message: The S47 start date cannot be before the referral date.
select s.child_no, s.S47ActualStartDate_line as line, s.S47ActualStartDate as value
from s47 s join episode e using (child_no, ep_no) where s.s47_start < e.referral
