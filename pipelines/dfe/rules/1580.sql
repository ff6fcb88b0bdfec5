-- code: 1580
-- severity: error
-- years: 2024-25 2025-26
-- field: LAchildID
-- message: LA Child ID must not contain any non-alphanumeric characters
select child_no, LAchildID_line as line, LAchildID as value from child
where not regexp_full_match(LAchildID, '[A-Za-z0-9]+')
