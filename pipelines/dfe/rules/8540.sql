-- code: 8540
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: Disability
-- message: Child’s disability is missing or invalid (see Disability table)
with due as (
    select child_no, line from child
    where birth is not null and child_no in (select child_no from episode where nfa = false)
)
select child_no, line, null as value from due where child_no not in (select child_no from disability)
union all
select d.child_no, d.Disability_line, d.Disability from disability d join due using (child_no)
where d.Disability is null or upper(d.Disability) not in (select code from code_disability)
