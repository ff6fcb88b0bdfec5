-- code: 8930
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CPPendDate
-- message: Child Protection Plan End Date must fall within the census year
select child_no, CPPendDate_line as line, CPPendDate as value from cpp
where cpp_end < $start or cpp_end > $ref
