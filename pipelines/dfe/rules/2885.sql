-- code: 2885
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CPPstartDate
-- message: Child protection plan shown as starting a different day to the initial child protection conference.
with icpcs as (
    select child_no, ep_no, icpc from s47 where icpc is not null
    union all
    select e.child_no, e.ep_no, e.icpc from episode e
    where e.icpc is not null
        and not exists (select 1 from s47 s where s.child_no = e.child_no and s.ep_no = e.ep_no)
)
select p.child_no, p.CPPstartDate_line as line, p.CPPstartDate as value from cpp p
where p.cpp_start between $start and $ref
    and not exists (select 1 from icpcs i
        where i.child_no = p.child_no and i.ep_no = p.ep_no and i.icpc = p.cpp_start)
