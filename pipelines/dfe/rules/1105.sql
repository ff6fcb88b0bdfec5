-- code: 1105
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CPPstartDate
-- message: The child protection plan start date cannot be before the referral date
select p.child_no, p.CPPstartDate_line as line, p.CPPstartDate as value
from cpp p join episode e using (child_no, ep_no) where p.cpp_start < e.referral
