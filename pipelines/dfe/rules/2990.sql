-- code: 2990
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: ReasonForClosure
-- message: Activity is recorded against a case marked as ‘Case closed after assessment, no further action’ or 'case closed after assessment, referred to early help'.
select child_no, ReasonForClosure_line as line, ReasonForClosure as value from episode e
where upper(ReasonForClosure) in ('RC8', 'RC9')
    and (DateOfInitialCPC is not null
        or exists (select 1 from s47 s where s.child_no = e.child_no and s.ep_no = e.ep_no)
        or exists (select 1 from cpp p where p.child_no = e.child_no and p.ep_no = e.ep_no)
        or exists (select 1 from cin_plan p where p.child_no = e.child_no and p.ep_no = e.ep_no))
