-- validation_by_rule: rule failures recorded at load, counted by rule and field.
with issues as (
    select * from validation_issues
),

final as (
    select rule_id, field, count(*) as issues, count(distinct load_id) as files,
        any_value(message) as example_message
    from issues
    group by rule_id, field
    order by issues desc, rule_id
)

select * from final
