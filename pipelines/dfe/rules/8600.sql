-- code: 8600
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CINreferralDate
-- message: Child referral date missing or after data collection period
select child_no, CINreferralDate_line as line, CINreferralDate as value from episode
where CINreferralDate is null or referral > $ref
