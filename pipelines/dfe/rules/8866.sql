-- code: 8866
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: ReferralSource
-- message: Source of Referral is missing or an invalid code
select child_no, ReferralSource_line as line, ReferralSource as value from episode
where referral >= date '2013-04-01'
    and (ReferralSource is null or ReferralSource not in (select code from code_referral_source))
