-- code: 8736
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: AssessmentActualStartDate
-- message: For an Assessment that has not been completed, the start date must fall within the census year
select child_no, AssessmentActualStartDate_line as line, AssessmentActualStartDate as value from assessment
where AssessmentAuthorisationDate is null and (a_start < $start or a_start > $ref)
