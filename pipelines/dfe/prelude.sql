-- prelude: typed tables over the raw staging (raw_<module>, pivoted by pipelines/dfe/collect.py),
-- and DfE's code sets. Dates that are not real YYYY-MM-DD dates are NULL here (the structural
-- tier reports them). Parameters: $ref (ReferenceDate) and $start (first day of the census year).
create or replace temp macro dfe_bool(x) as
    case lower(x) when 'true' then true when '1' then true when 'false' then false when '0' then false end;

create or replace temp table child as
select *, try_cast(PersonBirthDate as date) as birth, try_cast(ExpectedPersonBirthDate as date) as expected_birth,
    try_cast(PersonDeathDate as date) as death
from raw_child;

create or replace temp table episode as
select *, try_cast(CINreferralDate as date) as referral, try_cast(CINclosureDate as date) as closure,
    try_cast(DateOfInitialCPC as date) as icpc, dfe_bool(ReferralNFA) as nfa
from raw_episode;

create or replace temp table assessment as
select *, try_cast(AssessmentActualStartDate as date) as a_start,
    try_cast(AssessmentAuthorisationDate as date) as a_auth
from raw_assessment;

create or replace temp table factor as select * from raw_factor;
create or replace temp table disability as select * from raw_disability;

create or replace temp table cin_plan as
select *, try_cast(CINPlanStartDate as date) as plan_start, try_cast(CINPlanEndDate as date) as plan_end
from raw_cin_plan;

create or replace temp table s47 as
select *, try_cast(S47ActualStartDate as date) as s47_start, try_cast(InitialCPCtarget as date) as target,
    try_cast(DateOfInitialCPC as date) as icpc, dfe_bool(ICPCnotRequired) as not_required
from raw_s47;

create or replace temp table cpp as
select *, try_cast(CPPstartDate as date) as cpp_start, try_cast(CPPendDate as date) as cpp_end
from raw_cpp;

create or replace temp table review as
select *, try_cast(CPPreviewDate as date) as review_date from raw_review;

-- DfE CIN census code sets.
create or replace temp table code_referral_source as
select unnest(['1A', '1B', '1C', '1D', '2A', '2B', '3A', '3B', '3C', '3D', '3E', '3F', '4', '5A', '5B',
    '5C', '5D', '6', '7', '8', '9', '10']) as code;
create or replace temp table code_primary_need as
select unnest(['N0', 'N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8', 'N9']) as code;
create or replace temp table code_reason_for_closure as
select unnest(['RC1', 'RC2', 'RC3', 'RC4', 'RC5', 'RC6', 'RC7', 'RC8', 'RC9']) as code;
create or replace temp table code_disability as
select unnest(['NONE', 'MOB', 'HAND', 'PC', 'INC', 'COMM', 'LD', 'HEAR', 'VIS', 'BEH', 'CON', 'AUT',
    'DDA']) as code;
create or replace temp table code_category as select unnest(['NEG', 'PHY', 'SAB', 'EMO', 'MUL']) as code;
create or replace temp table code_ethnicity as
select unnest(['WBRI', 'WIRI', 'WIRT', 'WOTH', 'WROM', 'MWBC', 'MWBA', 'MWAS', 'MOTH', 'AIND', 'APKN',
    'ABAN', 'AOTH', 'BCRB', 'BAFR', 'BOTH', 'CHNE', 'OOTH', 'REFU', 'NOBT']) as code;
create or replace temp table code_factor as
select unnest(['1A', '1B', '1C', '2A', '2B', '2C', '3A', '3B', '3C', '4A', '4B', '4C', '5A', '5B', '5C',
    '6A', '6B', '6C', '7A', '8B', '8C', '8D', '8E', '8F', '9A', '10A', '11A', '12A', '13A', '14A', '15A',
    '16A', '17A', '18A', '18B', '18C', '19A', '19B', '19C', '20', '21', '22A', '23A', '24A']) as code;
-- code_upn_la (rule 1530) is registered by the engine from vocabulary.codes.UPN_LA_CODES.
