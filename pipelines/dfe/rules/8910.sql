-- code: 8910
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: LatestCategoryOfAbuse
-- message: Latest Category of Abuse code missing or invalid (see Category of Abuse table in CIN Census code set)
select child_no, LatestCategoryOfAbuse_line as line, LatestCategoryOfAbuse as value from cpp
where LatestCategoryOfAbuse is null or LatestCategoryOfAbuse not in (select code from code_category)
