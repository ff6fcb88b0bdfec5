-- code: 8875
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: DateOfInitialCPC
-- message: The Date of Initial Child Protection Conference cannot be a weekend
select child_no, DateOfInitialCPC_line as line, DateOfInitialCPC as value from s47
where isodow(icpc) >= 6
