-- code: 1103
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: AssessmentActualStartDate
-- message: The assessment start date cannot be before the referral date
select a.child_no, a.AssessmentActualStartDate_line as line, a.AssessmentActualStartDate as value
from assessment a join episode e using (child_no, ep_no) where a.a_start < e.referral
