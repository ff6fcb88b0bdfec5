-- code: 8897Q
-- severity: query
-- years: 2023-24 2024-25 2025-26
-- field: AssessmentFactors
-- message: Parental or child factors at assessment information is missing from a completed assessment
select a.child_no, a.line, null as value from assessment a
where a.a_auth >= $start and not exists (
    select 1 from factor f where (f.child_no, f.ep_no, f.ass_no) = (a.child_no, a.ep_no, a.ass_no)
        and f.AssessmentFactors in (select code from code_factor))
