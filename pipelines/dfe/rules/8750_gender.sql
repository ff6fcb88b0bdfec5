-- code: 8750
-- severity: error
-- years: 2023-24
-- field: GenderCurrent
-- message: Gender must equal 0 for an unborn child
select child_no, GenderCurrent_line as line, GenderCurrent as value from child
where PersonBirthDate is null and ExpectedPersonBirthDate is not null
    and coalesce(GenderCurrent, '') <> '0'
