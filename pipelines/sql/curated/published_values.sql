-- published_values: DfE published figures (EES tables D1, D3, D5, D6, D7, C4 and LAIT) in one
-- long table: one row per measure, year and area. A measure mapped to one of our indicators is
-- keyed by the indicator id, so D1 CPP_At31, D5 CPP_At31 and LAIT CPP_Num compete for the same
-- cpp_at_end cell. The NEWEST RELEASE WINS; within one release the headline EES table wins over a
-- secondary table and over LAIT (source_rank), then the latest load. Losing rows stay in
-- staging.published_values, counted here in superseded_rows.
with staged as (
    select rowid as row_id, * from staging.published_values
),

loads as (
    select load_id, file_name from main.loads
),

la_codes as (
    select * from main.la_codes
),

keyed as (
    select
        *,
        coalesce(indicator_id, source_table || '.' || source_measure) as measure_key,
        coalesce(old_la_code, area_code) as area_key
    from staged
),

-- One cell = one measure (or indicator), year and area. The winner: newest release, then the
-- lowest source_rank, then the latest load (then the first row in the file).
cells as (
    select
        arg_max(row_id, (release, -source_rank, load_id, -source_row)) as row_id,
        count(*) as rows_seen,
        coalesce(min(value) < max(value), false)
            or count(value) between 1 and count(*) - 1 as superseded_value_differs
    from keyed
    group by measure_key, time_period, geographic_level, area_key
),

winners as (
    select k.*, c.rows_seen, c.superseded_value_differs
    from keyed as k
    join cells as c on c.row_id = k.row_id
),

-- LAIT rows have no ONS code: take the one the LA had that year (else its latest).
missing_codes as (
    select
        w.old_la_code, w.time_period,
        arg_max(c.new_la_code, (w.time_period between c.first_time_period and c.last_time_period)::int
                * 10000 + c.last_time_period) as new_la_code,
        arg_max(c.region_code, c.last_time_period) as region_code
    from (select distinct old_la_code, time_period from winners
          where area_code is null and old_la_code is not null) as w
    join la_codes as c on c.old_la_code = w.old_la_code
    group by w.old_la_code, w.time_period
),

final as (
    select
        w.indicator_id,
        w.source_table,
        w.source_measure,
        w.measure_label,
        l.file_name as source_file,
        w.release,
        w.time_period,
        printf('%d-%02d', w.time_period - 1, w.time_period % 100) as period,
        w.geographic_level,
        coalesce(w.area_code, m.new_la_code) as area_code,
        w.old_la_code,
        w.area_name,
        coalesce(w.region_code, m.region_code) as region_code,
        w.region_name,
        w.value,
        w.status,
        w.decimals,
        w.source_value,
        (w.rows_seen - 1)::integer as superseded_rows,
        w.superseded_value_differs,
        w.load_id as source_load_id
    from winners as w
    left join loads as l on l.load_id = w.load_id
    left join missing_codes as m on m.old_la_code = w.old_la_code and m.time_period = w.time_period
    order by w.indicator_id nulls last, w.source_table, w.source_measure, w.time_period,
        w.geographic_level, area_code
)

select * from final
