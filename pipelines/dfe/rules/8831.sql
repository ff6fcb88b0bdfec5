-- code: 8831
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: ReferralNFA
-- message: Activity is recorded against a case marked as a referral with no further action
select child_no, ReferralNFA_line as line, ReferralNFA as value from episode e
where nfa = true and (DateOfInitialCPC is not null
    or exists (select 1 from assessment a where a.child_no = e.child_no and a.ep_no = e.ep_no
        and (a.AssessmentActualStartDate is not null or a.AssessmentAuthorisationDate is not null))
    or exists (select 1 from s47 s where s.child_no = e.child_no and s.ep_no = e.ep_no
        and (s.S47ActualStartDate is not null or s.DateOfInitialCPC is not null)))
