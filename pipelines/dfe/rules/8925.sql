-- code: 8925
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CPPendDate
-- message: Child Protection Plan End Date earlier than Start Date
select child_no, CPPendDate_line as line, CPPendDate as value from cpp where cpp_end < cpp_start
