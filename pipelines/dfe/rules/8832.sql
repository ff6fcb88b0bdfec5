-- code: 8832
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: ReferralNFA
-- message: Child Protection details provided for a referral with no further action.
select child_no, ReferralNFA_line as line, ReferralNFA as value from episode e
where nfa = true and exists (select 1 from cpp p where p.child_no = e.child_no and p.ep_no = e.ep_no)
