-- code: 8555Q
-- severity: query
-- years: 2023-24 2024-25 2025-26
-- field: CINreferralDate
-- message: Child cannot be referred after its recorded date of death
select e.child_no, e.CINreferralDate_line as line, e.CINreferralDate as value
from episode e join child c using (child_no) where e.referral > c.death
