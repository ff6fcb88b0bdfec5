-- code: 1570
-- severity: error
-- years: 2024-25 2025-26
-- field: LAchildID
-- message: LA Child ID must not be longer than 20 characters
select child_no, LAchildID_line as line, LAchildID as value from child where length(LAchildID) > 20
