-- code: 8569Q
-- severity: query
-- years: 2023-24 2024-25 2025-26
-- field: ReferralNFA
-- message: A case with referral date before one working day prior to the collection start date must not be flagged as a no further action case
select child_no, ReferralNFA_line as line, ReferralNFA as value from episode
where nfa = true and referral < $start_less_1wd
