-- code: 8842Q
-- severity: query
-- years: 2023-24 2024-25 2025-26
-- field: CPPreviewDate
-- message: Please check and either amend or provide a reason: Review Record has a missing date
select child_no, CPPreviewDate_line as line, CPPreviewDate as value from review where review_date is null
