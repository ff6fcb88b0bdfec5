-- code: 4180
-- severity: error
-- years: 2024-25 2025-26
-- field: Sex
-- message: Sex must be provided and equal M, F, or U
select child_no, Sex_line as line, Sex as value from child
where Sex is null or Sex not in ('M', 'F', 'U')
