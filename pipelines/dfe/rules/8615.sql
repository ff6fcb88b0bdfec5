-- code: 8615
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: S47ActualStartDate
-- message: Section 47 Enquiry Start Date must be present and cannot be later than the date of the initial Child Protection Conference
select child_no, S47ActualStartDate_line as line, S47ActualStartDate as value from s47
where icpc is not null and (S47ActualStartDate is null or s47_start > icpc)
