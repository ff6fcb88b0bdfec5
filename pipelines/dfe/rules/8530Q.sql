-- code: 8530Q
-- severity: query
-- years: 2023-24 2024-25 2025-26
-- field: ExpectedPersonBirthDate
-- message: Please check and either amend data or provide a reason: Expected Date of Birth is outside the expected range for this census (March to December of the Census Year end)
select child_no, ExpectedPersonBirthDate_line as line, ExpectedPersonBirthDate as value from child
 where expected_birth < $ref - interval 30 day or expected_birth > $ref + interval 9 month
