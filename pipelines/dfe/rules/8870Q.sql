-- code: 8870Q
-- severity: query
-- years: 2023-24 2024-25 2025-26
-- field: InitialCPCtarget
-- message: Please check and either amend or provide a reason: The Target Date for Initial Child Protection Conference should not be a weekend
select child_no, InitialCPCtarget_line as line, InitialCPCtarget as value from s47
where isodow(target) >= 6
