-- code: 8905
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: InitialCategoryOfAbuse
-- message: Initial Category of Abuse code missing or invalid (see Category of Abuse table in CIN Census code set)
select child_no, InitialCategoryOfAbuse_line as line, InitialCategoryOfAbuse as value from cpp
where InitialCategoryOfAbuse is null or InitialCategoryOfAbuse not in (select code from code_category)
