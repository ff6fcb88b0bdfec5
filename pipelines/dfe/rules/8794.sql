-- code: 8794
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: Disability
-- message: Child has two or more disabilities with the same code
with counted as (select *, count(*) over (partition by child_no, upper(Disability)) as n from disability where Disability is not null)
select child_no, Disability_line as line, Disability as value from counted where n > 1
