-- completeness: for each LA, how complete the child-level fields the indicators use are.
with children as (
    select * from children
),

plans as (
    select * from cp_plans
),

by_la as (
    select
        c.la_code,
        count(*) as children,
        count(*) filter (where c.ethnicity = 'NOBT') as ethnicity_not_obtained,
        count(*) filter (where c.ethnicity = 'REFU') as ethnicity_refused,
        count(*) filter (where c.sex = 'U' or c.sex is null) as sex_not_known,
        count(*) filter (where c.birth_month is null and c.expected_birth_month is null)
            as no_birth_date
    from children as c
    group by c.la_code
),

plan_fields as (
    select la_code, count(*) as plans,
        count(*) filter (where number_of_previous_cpp is null) as previous_plans_missing
    from plans
    group by la_code
),

final as (
    select b.*, coalesce(p.plans, 0) as plans, coalesce(p.previous_plans_missing, 0)
        as previous_plans_missing
    from by_la as b
    left join plan_fields as p using (la_code)
    order by la_code
)

select * from final
