-- code: 8810
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CINclosureDate
-- message: A CIN case cannot have a Reason for Closure without a CIN Closure Date
select child_no, CINclosureDate_line as line, ReasonForClosure as value from episode
where ReasonForClosure is not null and CINclosureDate is null
