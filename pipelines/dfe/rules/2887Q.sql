-- code: 2887Q
-- severity: query
-- years: 2023-24 2024-25 2025-26
-- field: Disability
-- message: Please check and either amend or provide a reason: Less than 8 disability codes have been used in your return
select null::int as child_no, null::int as line,
    count(distinct upper(Disability))::varchar || ' codes' as value
from disability
where upper(Disability) <> 'NONE'
having count(distinct upper(Disability)) < 8
