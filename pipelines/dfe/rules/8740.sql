-- code: 8740
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: S47ActualStartDate
-- message: For a Section 47 Enquiry that has not held the Initial Child Protection Conference by the end of the census year, the start date must fall within the census year
select child_no, S47ActualStartDate_line as line, S47ActualStartDate as value from s47
where DateOfInitialCPC is null and not_required = false and (s47_start < $start or s47_start > $ref)
