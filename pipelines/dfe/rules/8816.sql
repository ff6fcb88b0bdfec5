-- code: 8816
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CINreferralDate
-- message: An open CIN episode is shown and case is not a referral with no further action, but it is not the latest episode.
with latest as (select child_no, max(referral) as last_referral from episode group by child_no)
select e.child_no, e.CINreferralDate_line as line, e.CINreferralDate as value
from episode e join latest using (child_no)
where e.CINclosureDate is null and e.nfa = false and e.referral < latest.last_referral
