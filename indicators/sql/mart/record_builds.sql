-- What each indicator and scope of the mart now holds (indicator_mart_builds), from the registered
-- relation `builds`: one statement for a whole build.
insert or replace into indicator_mart_builds
with

builds as (
    select indicator_id, scope, labels, las, fingerprint from builds
),

final as (
    select indicator_id, scope, labels::varchar[], las::varchar[], fingerprint from builds
)

select * from final
