-- code: 4220
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: Ethnicity
-- message: Ethnicity is missing or invalid (see Ethnicity table)
select child_no, Ethnicity_line as line, Ethnicity as value from child
where Ethnicity is null or Ethnicity not in (select code from code_ethnicity)
