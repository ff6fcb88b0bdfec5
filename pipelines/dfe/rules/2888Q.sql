-- code: 2888Q
-- severity: query
-- years: 2023-24 2024-25 2025-26
-- field: Disability
-- message: Please check and either amend or provide a reason: Only one disability code is recorded per child and multiple disabilities should be recorded where possible.
with per_child as (
    select child_no, count(*) as n from disability
    where upper(Disability) <> 'NONE'
    group by child_no
)
select null::int as child_no, null::int as line, count(*)::varchar || ' children, one code each' as value
from per_child
having count(*) > 0 and max(n) <= 1
