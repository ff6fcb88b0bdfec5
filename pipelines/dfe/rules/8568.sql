-- code: 8568
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: ReferralNFA
-- message: RNFA flag is missing or invalid
select child_no, ReferralNFA_line as line, ReferralNFA as value from episode where nfa is null
