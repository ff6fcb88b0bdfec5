-- code: 8950Q
-- severity: query
-- years: 2024-25 2025-26
-- field: AssessmentFactors
-- message: Please check and either amend data or provide a reason: the assessment factors code '19A' should not be used ('19B' or '19C' should be used instead)
select child_no, AssessmentFactors_line as line, AssessmentFactors as value from factor
where upper(AssessmentFactors) = '19A'
