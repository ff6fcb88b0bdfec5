-- code: 2883
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CPPstartDate
-- message: There are more child protection plans starting than initial conferences taking place
with counts as (
    select (select count(*) from cpp where cpp_start between $start and $ref) as plans,
        (select count(*) from episode where icpc between $start and $ref)
        + (select count(*) from s47 where icpc between $start and $ref) as conferences
)
select null::int as child_no, null::int as line, printf('%d plans, %d conferences', plans, conferences) as value
from counts where plans > conferences
