-- code: 8590
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: LAchildID
-- message: Child does not have a recorded CIN episode.
select child_no, line, null as value from child where child_no not in (select child_no from episode)
