-- code: 100
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: ReferenceDate
-- message: Reference Date is incorrect
select null::int as child_no, null::int as line, cast($ref as varchar) as value where $ref <> $census_end
