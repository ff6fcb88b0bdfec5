-- code: 8640
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: ReasonForClosure
-- message: CIN Reason for closure code invalid (see Reason for Closure table in CIN Census code set)
select child_no, ReasonForClosure_line as line, ReasonForClosure as value from episode
where ReasonForClosure not in (select code from code_reason_for_closure)
