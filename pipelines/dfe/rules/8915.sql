-- code: 8915
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CPPstartDate
-- message: Child Protection Plan shown as starting after the child’s Date of Death
select p.child_no, p.CPPstartDate_line as line, p.CPPstartDate as value
from cpp p join child c using (child_no) where p.cpp_start > c.death
