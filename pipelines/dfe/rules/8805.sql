-- code: 8805
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: ReasonForClosure
-- message: A CIN case cannot have a CIN closure date without a Reason for Closure
select child_no, ReasonForClosure_line as line, null as value from episode
where CINclosureDate is not null and ReasonForClosure is null
