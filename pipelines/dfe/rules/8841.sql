-- code: 8841
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CPPreviewDate
-- message: The review date cannot be on the same day or before the Child protection Plan start date.
select r.child_no, r.CPPreviewDate_line as line, r.CPPreviewDate as value
from review r join cpp p using (child_no, ep_no, cpp_no) where r.review_date <= p.cpp_start
