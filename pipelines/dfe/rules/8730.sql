-- code: 8730
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: NumberOfPreviousCPP
-- message: Total Number of previous Child Protection Plans missing
select child_no, NumberOfPreviousCPP_line as line, NumberOfPreviousCPP as value from cpp
where coalesce(try_cast(NumberOfPreviousCPP as integer), -1) < 0
