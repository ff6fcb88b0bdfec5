-- code: 8535Q
-- severity: query
-- years: 2023-24 2024-25 2025-26
-- field: PersonDeathDate
-- message: Please check and either amend data or provide a reason: Child's date of death should not be prior to the date of birth
select child_no, PersonDeathDate_line as line, PersonDeathDate as value from child
 where death is not null and (birth is null or death < birth)
