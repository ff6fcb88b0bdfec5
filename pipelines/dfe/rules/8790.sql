-- code: 8790
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: Disability
-- message: Disability information includes both None and other values
select child_no, Disability_line as line, Disability as value from disability
where upper(coalesce(Disability, '')) <> 'NONE'
    and child_no in (select child_no from disability where upper(Disability) = 'NONE')
