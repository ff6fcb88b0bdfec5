-- code: 8720
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CPPstartDate
-- message: Child Protection Plan Start Date missing or out of data collection period
select child_no, CPPstartDate_line as line, CPPstartDate as value from cpp
where CPPstartDate is null or cpp_start > $ref
