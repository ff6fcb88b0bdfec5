-- code: 8606
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CINreferralDate
-- message: Child referral date is more than 40 weeks before DOB or expected DOB
select e.child_no, e.CINreferralDate_line as line, e.CINreferralDate as value
from episode e join child c using (child_no)
where e.referral < coalesce(c.birth, c.expected_birth) - interval 280 day
