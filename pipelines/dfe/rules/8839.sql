-- code: 8839
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: DateOfInitialCPC
-- message: Within one CINDetails group there are 2 or more open S47 Assessments
with open_ as (
    select *, count(*) over (partition by child_no, ep_no) as n from s47
    where DateOfInitialCPC is null and coalesce(not_required, false) = false
)
select child_no, line, null as value from open_ where n > 1
