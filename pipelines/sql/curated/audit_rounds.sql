-- One row per case-file audit round: its theme, date and how many cases and agencies it covered.
select round_id, any_value(theme) as theme, any_value(audit_date) as audit_date, any_value(la_code) as la_code,
    count(distinct case_key) as cases, count(distinct agency) as agencies, count(*) as grades,
    any_value(source_load_id) as source_load_id
from main.audit_grades
group by round_id
order by audit_date, round_id
