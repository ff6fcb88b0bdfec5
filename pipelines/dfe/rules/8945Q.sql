-- code: 8945Q
-- severity: query
-- years: 2024-25 2025-26
-- field: AssessmentFactors
-- message: Please check and either amend data or provide a reason: the assessment factors code '18A' should not be used ('18B' or '18C' should be used instead)
select child_no, AssessmentFactors_line as line, AssessmentFactors as value from factor
where upper(AssessmentFactors) = '18A'
