-- One row per action: the latest load that gives it. Overdue is not stored: it depends on the day
-- it is judged (indicators/assurance.py works it out from due_date and status).
select a.la_code, a.action_id, a.source, a.priority, a.rationale, a.objective, a.action, a.due_date,
    a.owner, a.measure, a.status, a.last_update, a.linked_ids, a.load_id as source_load_id, a.source_row
from staging.actions as a
join loads as l on l.load_id = a.load_id
where l.status = 'loaded'
qualify a.load_id = max(a.load_id) over (partition by a.action_id)
order by a.due_date, a.action_id
