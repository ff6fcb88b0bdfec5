-- code: 8696
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: AssessmentAuthorisationDate
-- message: Assessment end date must fall within the census year
select child_no, AssessmentAuthorisationDate_line as line, AssessmentAuthorisationDate as value
from assessment where a_auth < $start or a_auth > $ref
