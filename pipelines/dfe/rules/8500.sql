-- code: 8500
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: LAchildID
-- message: LA Child ID missing
select child_no, LAchildID_line as line, null as value from child where LAchildID is null
