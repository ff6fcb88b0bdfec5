-- code: 8520
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: PersonBirthDate
-- message: Date of Birth is after data collection period (must be on or before the end of the census period)
select child_no, PersonBirthDate_line as line, PersonBirthDate as value from child where birth > $ref
