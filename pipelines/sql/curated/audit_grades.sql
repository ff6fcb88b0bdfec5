-- One row per audit round, case, agency and question: the grades from the latest load of the round.
select g.la_code, g.round_id, g.theme, g.audit_date, g.case_key, g.agency, g.question_id, g.grade,
    g.learning_point, g.load_id as source_load_id, g.source_row
from staging.audit_grades as g
join loads as l on l.load_id = g.load_id
where l.status = 'loaded'
qualify g.load_id = max(g.load_id) over (partition by g.round_id)
order by g.audit_date, g.round_id, g.agency, g.question_id
