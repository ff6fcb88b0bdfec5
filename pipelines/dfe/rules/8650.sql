-- code: 8650
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: PrimaryNeedCode
-- message: Primary Need Code invalid (see Primary Need table in CIN census code set)
select child_no, PrimaryNeedCode_line as line, PrimaryNeedCode as value from episode
where PrimaryNeedCode not in (select code from code_primary_need)
