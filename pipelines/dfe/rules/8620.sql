-- code: 8620
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CINclosureDate
-- message: CIN Closure Date present and does not fall within the Census year
select child_no, CINclosureDate_line as line, CINclosureDate as value from episode
where closure < $start or closure > $ref
