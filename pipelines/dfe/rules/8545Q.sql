-- code: 8545Q
-- severity: query
-- years: 2023-24 2024-25 2025-26
-- field: PersonDeathDate
-- message: Please check and either amend data or provide a reason: Child's date of death should be within the census year
select child_no, PersonDeathDate_line as line, PersonDeathDate as value from child
 where death < $start or death > $ref
