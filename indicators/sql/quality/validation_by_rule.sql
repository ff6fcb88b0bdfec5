-- validation_by_rule: rule failures recorded at load, counted by rule, severity and field.
-- DfE rules carry DfE's code and severity (error or query); the project's own checks 'rule'.
with issues as (
    select * from validation_issues
),

final as (
    select rule_id, severity, field, count(*) as issues, count(distinct load_id) as files,
        any_value(message) as example_message
    from issues
    group by rule_id, severity, field
    order by issues desc, rule_id
)

select * from final
