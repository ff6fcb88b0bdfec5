-- One row per agency, s.11 cycle and standard: the rating from the latest load that gives it.
select s.la_code, s.agency, s.cycle, s.standard_id, s.self_rating, s.agreed_rating, s.evidence,
    s.challenge_date, s.load_id as source_load_id, s.source_row
from staging.s11_ratings as s
join loads as l on l.load_id = s.load_id
where l.status = 'loaded'
qualify s.load_id = max(s.load_id) over (partition by s.agency, s.cycle, s.standard_id)
order by s.cycle, s.agency, s.standard_id
