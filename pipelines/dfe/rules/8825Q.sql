-- code: 8825Q
-- severity: query
-- years: 2023-24 2024-25 2025-26
-- field: ReasonForClosure
-- message: Please check and either amend data or provide a reason: Reason for Closure code RC8 (case closed after assessment) or RC9 (case closed after assessment, referred to early help) has been returned but there is no assessment present for the episode.
select child_no, ReasonForClosure_line as line, ReasonForClosure as value from episode e
where upper(ReasonForClosure) in ('RC8', 'RC9')
    and not exists (select 1 from assessment a where a.child_no = e.child_no and a.ep_no = e.ep_no)
