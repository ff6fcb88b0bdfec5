-- Partner measure values from the current return of each agency and quarter (superseded returns
-- stay in staging.partner_values as the history).
select
    v.la_code, v.agency, v.quarter, v.measure_id, v.period, v.frequency, v.period_start, v.period_end,
    v.numerator, v.denominator, v.value, v.commentary, v.load_id as source_load_id, v.source_row
from staging.partner_values as v
join loads as l on l.load_id = v.load_id
where l.status = 'loaded'
order by v.agency, v.measure_id, v.period_start
