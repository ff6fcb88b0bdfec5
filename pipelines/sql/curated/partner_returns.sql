-- One row per agency and quarter: the current return, when it was submitted, and how many
-- versions were received (the current one and those it superseded).
select
    r.agency, r.quarter, r.quarter_start, r.quarter_end, r.la_code, r.submitted_on, r.file_name,
    r.load_id as source_load_id,
    (select count(*) from staging.partner_returns as h
        where h.agency = r.agency and h.quarter = r.quarter) as versions,
    (select count(distinct v.measure_id) from staging.partner_values as v
        where v.load_id = r.load_id) as measures_returned
from staging.partner_returns as r
join loads as l on l.load_id = r.load_id
where l.status = 'loaded'
order by r.agency, r.quarter_start
