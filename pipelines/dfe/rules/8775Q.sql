-- code: 8775Q
-- severity: query
-- years: 2023-24 2024-25 2025-26
-- field: PersonBirthDate
-- message: Please check and either amend data or provide a reason: Child is over 25 years old
select distinct c.child_no, c.PersonBirthDate_line as line, null as value
from child c join episode e using (child_no)
where c.birth < $ref - interval 25 year and (e.closure is null or e.closure > c.birth + interval 25 year)
