-- code: 8608
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: AssessmentAuthorisationDate
-- message: Assessment Start Date cannot be later than its End Date
select child_no, AssessmentAuthorisationDate_line as line, AssessmentAuthorisationDate as value
from assessment where a_auth < a_start
