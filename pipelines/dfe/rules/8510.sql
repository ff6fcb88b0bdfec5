-- code: 8510
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: LAchildID
-- message: More than one child record with the same LA Child ID
with counted as (
    select *, count(*) over (partition by LAchildID) as n from child where LAchildID is not null
)
select child_no, LAchildID_line as line, LAchildID as value from counted where n > 1
