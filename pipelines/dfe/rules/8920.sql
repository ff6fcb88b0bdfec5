-- code: 8920
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CPPendDate
-- message: Child Protection Plan cannot end after the child’s Date of Death
select p.child_no, p.CPPendDate_line as line, p.CPPendDate as value
from cpp p join child c using (child_no) where p.cpp_end > c.death
