-- code: 8525Q
-- severity: query
-- years: 2023-24 2024-25 2025-26
-- field: PersonBirthDate
-- message: Either Date of Birth or Expected Date of Birth must be provided (but not both)
select child_no, PersonBirthDate_line as line, PersonBirthDate as value from child
 where (PersonBirthDate is null) = (ExpectedPersonBirthDate is null)
