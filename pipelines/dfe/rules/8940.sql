-- code: 8940
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CPPstartDate
-- message: Child Protection Plan data contains overlapping dates
select distinct a.child_no, a.CPPstartDate_line as line, a.CPPstartDate as value
from cpp a join cpp b on a.child_no = b.child_no and (a.ep_no, a.cpp_no) <> (b.ep_no, b.cpp_no)
where a.cpp_start >= b.cpp_start and a.cpp_start <= coalesce(b.cpp_end, $ref)
