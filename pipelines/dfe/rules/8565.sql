-- code: 8565
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CINclosureDate
-- message: Activity shown after a case has been closed
with activity as (
    select child_no, ep_no, a_start as d from assessment union all
    select child_no, ep_no, a_auth from assessment union all
    select child_no, ep_no, s47_start from s47 union all
    select child_no, ep_no, icpc from s47 union all
    select child_no, ep_no, icpc from episode union all
    select child_no, ep_no, cpp_end from cpp union all
    select child_no, ep_no, plan_start from cin_plan union all
    select child_no, ep_no, plan_end from cin_plan
)
select distinct e.child_no, e.CINclosureDate_line as line, e.CINclosureDate as value
from episode e join activity a using (child_no, ep_no) where a.d > e.closure
