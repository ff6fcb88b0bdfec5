-- la_codes: DfE 3-digit LA numbers mapped to ONS codes, names and regions, one row per
-- (DfE number, ONS code), with the reorganisations that end or start a published series:
-- Bournemouth, Christchurch and Poole (1 April 2019), North and West Northamptonshire (1 April
-- 2021), Cumberland and Westmorland and Furness (1 April 2023). Counties that became unitary
-- with the same area (Buckinghamshire 2020, North Yorkshire and Somerset 2023) keep their DfE
-- number and appear as two rows with a note: their series continue.
with staged as (
    select * from staging.published_values
    where geographic_level = 'Local authority' and old_la_code is not null
),

-- EES rows carry both codes; where releases disagree, the newest release says which ONS code an
-- LA had in a year.
ees_years as (
    select
        old_la_code, time_period,
        arg_max(area_code, (release, load_id)) as new_la_code,
        arg_max(area_name, (release, load_id)) as area_name,
        arg_max(region_code, (release, load_id)) as region_code,
        arg_max(region_name, (release, load_id)) as region_name
    from staged
    where area_code is not null
    group by old_la_code, time_period
),

ees_pairs as (
    select
        old_la_code, new_la_code,
        arg_max(area_name, time_period) as la_name,
        arg_max(region_code, time_period) as region_code,
        arg_max(region_name, time_period) as region_name,
        min(time_period) as first_time_period,
        max(time_period) as last_time_period
    from ees_years
    group by old_la_code, new_la_code
),

-- LAs known only from LAIT (which has no ONS codes): the years in which it has a value.
lait_only as (
    select
        old_la_code, null::varchar as new_la_code,
        arg_max(area_name, time_period) as la_name,
        arg_max(region_code, time_period) as region_code,
        arg_max(region_name, time_period) as region_name,
        coalesce(min(time_period) filter (where value is not null), min(time_period)) as first_time_period,
        coalesce(max(time_period) filter (where value is not null), max(time_period)) as last_time_period
    from staged
    where area_code is null and old_la_code not in (select old_la_code from ees_pairs)
    group by old_la_code
),

pairs as (
    select * from ees_pairs
    union all
    select * from lait_only
),

-- Checked against the EES files: the predecessors' last year and the successors' first year.
reorganisations as (
    select * from (values
        ('837', '839', date '2019-04-01', 2020, false),
        ('836', '839', date '2019-04-01', 2020, false),
        ('835', '839', date '2019-04-01', 2020, true),
        ('835', '838', date '2019-04-01', 2020, true),
        ('928', '940', date '2021-04-01', 2022, true),
        ('928', '941', date '2021-04-01', 2022, true),
        ('909', '942', date '2023-04-01', 2024, true),
        ('909', '943', date '2023-04-01', 2024, true)
    ) as t (predecessor_la_code, successor_la_code, effective_date, first_time_period, part_only)
),

names as (
    select old_la_code, arg_max(la_name, last_time_period) as la_name
    from pairs
    group by old_la_code
),

successors as (
    select
        r.predecessor_la_code as old_la_code,
        list(r.successor_la_code order by r.successor_la_code) as successor_la_codes,
        min(r.effective_date) as abolished_on,
        'Abolished on ' || strftime(min(r.effective_date), '%-d %B %Y') || ': replaced by '
            || string_agg(r.successor_la_code || ' ' || coalesce(n.la_name, '(not loaded)'), ' and '
                          order by r.successor_la_code)
            || '. Its published series ends in '
            || printf('%d-%02d', min(r.first_time_period) - 2, (min(r.first_time_period) - 1) % 100)
            || '.' as note
    from reorganisations as r
    left join names as n on n.old_la_code = r.successor_la_code
    group by r.predecessor_la_code
),

predecessors as (
    select
        r.successor_la_code as old_la_code,
        list(r.predecessor_la_code order by r.predecessor_la_code) as predecessor_la_codes,
        min(r.effective_date) as created_on,
        'Created on ' || strftime(min(r.effective_date), '%-d %B %Y') || ' from '
            || string_agg(case when r.part_only then 'part of ' else '' end || r.predecessor_la_code
                          || ' ' || coalesce(n.la_name, '(not loaded)'), ', '
                          order by r.part_only, r.predecessor_la_code)
            || '. Its published series starts in '
            || printf('%d-%02d', min(r.first_time_period) - 1, min(r.first_time_period) % 100)
            || '; earlier years belong to the predecessor(s) and are not comparable.' as note
    from reorganisations as r
    left join names as n on n.old_la_code = r.predecessor_la_code
    group by r.successor_la_code
),

recoded as (
    select
        old_la_code,
        'ONS code changed from ' || arg_min(new_la_code, first_time_period) || ' to '
            || arg_max(new_la_code, first_time_period) || ' in '
            || printf('%d-%02d', max(first_time_period) - 1, max(first_time_period) % 100)
            || ' (same area and DfE number): the series continues.' as note
    from pairs
    where new_la_code is not null
    group by old_la_code
    having count(*) > 1
),

final as (
    select
        p.old_la_code,
        p.new_la_code,
        p.la_name,
        p.region_code,
        p.region_name,
        p.first_time_period,
        p.last_time_period,
        p.last_time_period = (select max(last_time_period) from pairs) as is_current,
        coalesce(pr.predecessor_la_codes, []::varchar[]) as predecessor_la_codes,
        coalesce(s.successor_la_codes, []::varchar[]) as successor_la_codes,
        pr.created_on,
        s.abolished_on,
        nullif(concat_ws(' ', pr.note, s.note, rc.note), '') as reorganisation_note
    from pairs as p
    left join predecessors as pr on pr.old_la_code = p.old_la_code
    left join successors as s on s.old_la_code = p.old_la_code
    left join recoded as rc on rc.old_la_code = p.old_la_code
    order by p.old_la_code, p.first_time_period
)

select * from final
