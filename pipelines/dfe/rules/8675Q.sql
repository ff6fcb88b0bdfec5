-- code: 8675Q
-- severity: query
-- years: 2023-24 2024-25 2025-26
-- field: S47ActualStartDate
-- message: Please check and either amend data or provide a reason: S47 Enquiry started more than 15 working days before the end of the census year. However, there is no date of Initial Child Protection Conference.
select child_no, S47ActualStartDate_line as line, S47ActualStartDate as value from s47
where DateOfInitialCPC is null and not_required = false and s47_start < $ref_less_15wd
