-- code: 4180
-- severity: error
-- years: 2023-24
-- field: GenderCurrent
-- message: Gender is missing
select child_no, GenderCurrent_line as line, GenderCurrent as value from child
where GenderCurrent is null or GenderCurrent not in ('0', '1', '2', '9')
