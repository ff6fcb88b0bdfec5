-- code: 8820
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CINreferralDate
-- message: The dates on the CIN episodes for this child overlap
select distinct a.child_no, a.CINreferralDate_line as line, a.CINreferralDate as value
from episode a join episode b on a.child_no = b.child_no and a.ep_no <> b.ep_no
where a.referral >= b.referral
    and (a.referral < b.closure or (b.closure is null and b.CINclosureDate is null and a.referral < $ref and b.nfa = false))
