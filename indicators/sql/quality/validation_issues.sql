-- validation_issues: every rule failure recorded at load, by file and line (no child identifier;
-- values of identifying fields were never stored).
with issues as (
    select * from validation_issues
),

load_years as (
    select load_id, la_code, collection_year from loads
),

final as (
    select i.file_name as file, l.la_code, l.collection_year, i.line, i.rule_id as rule,
        i.severity, i.field, i.value, i.message
    from issues i
    left join load_years l using (load_id)
    order by i.file_name, i.line nulls first, i.rule_id
)

select * from final
