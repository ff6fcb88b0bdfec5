-- code: 8815
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CINclosureDate
-- message: More than one open CIN Details episode (a module with no CIN Closure Date) has been provided for this child and case is not a referral with no further action.
with open_eps as (
    select *, count(*) over (partition by child_no) as n from episode where CINclosureDate is null and nfa = false
)
select child_no, line, null as value from open_eps where n > 1
