-- code: 8610
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: PrimaryNeedCode
-- message: Primary Need code is missing for a referral which led to further action.
select child_no, PrimaryNeedCode_line as line, null as value from episode
where nfa = false and PrimaryNeedCode is null
