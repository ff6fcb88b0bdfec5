-- The indicator mart (indicators/mart.py): every indicator's values at every covered period of every
-- frequency, for every loaded LA and the pooled partnership, with every breakdown. Built at load
-- inside the warehouse file that the load swaps in atomically; read by indicators/api.py.
create table if not exists indicator_mart (
    indicator_id varchar not null,
    period varchar not null,
    frequency varchar not null,
    period_start date not null,
    period_end date not null,
    la_code varchar not null,
    breakdown varchar not null,
    "group" varchar,
    numerator bigint,
    denominator bigint,
    value double,
    unit varchar not null,
    status varchar not null
);

-- What the mart holds: per indicator and scope ('all' LAs or 'partnership'), the period
-- labels built, the LAs given rows at them, and the fingerprint of the code and configuration that computed them.
create table if not exists indicator_mart_builds (
    indicator_id varchar not null,
    scope varchar not null,
    labels varchar[] not null,
    las varchar[] not null,
    fingerprint varchar not null,
    primary key (indicator_id, scope)
);

comment on table indicator_mart is 'Indicator values persisted at load: indicator x period x LA (and partnership) x breakdown.';
comment on table indicator_mart_builds is 'The period labels, LAs and code fingerprint each indicator and scope of the mart was built for.';
