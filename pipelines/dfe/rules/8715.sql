-- code: 8715
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: DateOfInitialCPC
-- message: Date of Initial Child Protection Conference must fall within the census year
select child_no, DateOfInitialCPC_line as line, DateOfInitialCPC as value from s47
where icpc < $start or icpc > $ref
