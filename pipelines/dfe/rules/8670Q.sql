-- code: 8670Q
-- severity: query
-- years: 2023-24 2024-25 2025-26
-- field: AssessmentActualStartDate
-- message: Please check and either amend data or provide a reason: Assessment started more than 45 working days before the end of the census year. However, there is no Assessment end date.
select child_no, AssessmentActualStartDate_line as line, AssessmentActualStartDate as value from assessment
where AssessmentAuthorisationDate is null and a_start < $ref_less_45wd
