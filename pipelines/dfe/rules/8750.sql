-- code: 8750
-- severity: error
-- years: 2024-25 2025-26
-- field: Sex
-- message: Sex must equal U for an unborn child
select child_no, Sex_line as line, Sex as value from child
where PersonBirthDate is null and ExpectedPersonBirthDate is not null and coalesce(Sex, '') <> 'U'
