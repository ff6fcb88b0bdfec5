-- code: 2886Q
-- severity: query
-- years: 2023-24
-- field: GenderCurrent
-- message: Please check and either amend or provide a reason: Percentage of children with no gender recorded is more than 2% (excluding unborns)
select null::int as child_no, null::int as line,
     printf('%.1f%%', 100.0 * count_if(coalesce(GenderCurrent, '0') = '0' and ExpectedPersonBirthDate is null) / count(*)) as value
 from child
 having count_if(coalesce(GenderCurrent, '0') = '0' and ExpectedPersonBirthDate is null) > 0.02 * count(*)
