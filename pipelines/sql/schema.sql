-- Warehouse schema: per-load staging rows (already pseudonymised), lineage and validation issues.
-- Curated tables are rebuilt from staging by pipelines/sql/curated/*.sql after every load.
CREATE SCHEMA IF NOT EXISTS staging;

CREATE SEQUENCE IF NOT EXISTS load_id_seq START 1;

-- Facts about the warehouse itself: `key_fingerprint` is an HMAC of a constant under the
-- pseudonymisation key, so a load with a different key is refused (pipelines/warehouse_state.py).
CREATE TABLE IF NOT EXISTS warehouse_meta (
    name   VARCHAR PRIMARY KEY,
    value  VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS loads (
    load_id          INTEGER PRIMARY KEY,
    file_name        VARCHAR NOT NULL,
    file_sha256      VARCHAR NOT NULL,
    file_bytes       BIGINT NOT NULL,
    source_type      VARCHAR NOT NULL,
    spec_year        INTEGER,
    collection_year  VARCHAR,
    la_code          VARCHAR,
    reference_date   DATE,
    period_start     DATE,
    generated_at     TIMESTAMP,
    loaded_at        TIMESTAMP NOT NULL,
    status           VARCHAR NOT NULL,
    superseded_by    INTEGER,
    rows_loaded      MAP(VARCHAR, BIGINT),
    rule_issues      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS validation_issues (
    load_id     INTEGER NOT NULL,
    file_name   VARCHAR NOT NULL,
    line        INTEGER,
    child_key   VARCHAR,
    field       VARCHAR NOT NULL,
    value       VARCHAR,
    rule_id     VARCHAR NOT NULL,
    severity    VARCHAR NOT NULL,
    message     VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS staging.children (
    load_id INTEGER NOT NULL, la_code VARCHAR NOT NULL, child_key VARCHAR NOT NULL,
    upn_key VARCHAR, birth_month DATE, expected_birth_month DATE, sex VARCHAR,
    ethnicity VARCHAR, death_month DATE, disabilities VARCHAR, age_at_reference INTEGER,
    unborn_at_reference BOOLEAN, source_line INTEGER
);
CREATE TABLE IF NOT EXISTS staging.cin_episodes (
    load_id INTEGER NOT NULL, la_code VARCHAR NOT NULL, episode_key VARCHAR NOT NULL,
    child_key VARCHAR NOT NULL, referral_date DATE NOT NULL, referral_source VARCHAR,
    primary_need VARCHAR, closure_date DATE, reason_for_closure VARCHAR,
    date_of_initial_cpc DATE, referral_nfa BOOLEAN, source_line INTEGER
);
CREATE TABLE IF NOT EXISTS staging.assessments (
    load_id INTEGER NOT NULL, la_code VARCHAR NOT NULL, episode_key VARCHAR NOT NULL,
    child_key VARCHAR NOT NULL, start_date DATE, internal_review_date DATE,
    authorisation_date DATE, factors VARCHAR, source_line INTEGER
);
CREATE TABLE IF NOT EXISTS staging.cin_plans (
    load_id INTEGER NOT NULL, la_code VARCHAR NOT NULL, episode_key VARCHAR NOT NULL,
    child_key VARCHAR NOT NULL, start_date DATE, end_date DATE, source_line INTEGER
);
CREATE TABLE IF NOT EXISTS staging.section47 (
    load_id INTEGER NOT NULL, la_code VARCHAR NOT NULL, episode_key VARCHAR NOT NULL,
    child_key VARCHAR NOT NULL, s47_start_date DATE, icpc_target_date DATE, icpc_date DATE,
    icpc_not_required BOOLEAN, source_line INTEGER
);
CREATE TABLE IF NOT EXISTS staging.cp_plans (
    load_id INTEGER NOT NULL, la_code VARCHAR NOT NULL, plan_key VARCHAR NOT NULL,
    episode_key VARCHAR NOT NULL, child_key VARCHAR NOT NULL, start_date DATE NOT NULL,
    end_date DATE, initial_category VARCHAR, latest_category VARCHAR,
    number_of_previous_cpp INTEGER, source_line INTEGER
);
CREATE TABLE IF NOT EXISTS staging.cp_reviews (
    load_id INTEGER NOT NULL, la_code VARCHAR NOT NULL, plan_key VARCHAR NOT NULL,
    child_key VARCHAR NOT NULL, review_date DATE NOT NULL, source_line INTEGER
);
CREATE TABLE IF NOT EXISTS staging.area_lookup (
    load_id INTEGER NOT NULL, la_code VARCHAR NOT NULL, child_key VARCHAR NOT NULL,
    area_code VARCHAR NOT NULL, area_name VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS staging.area_population (
    load_id INTEGER NOT NULL, la_code VARCHAR NOT NULL, area_code VARCHAR NOT NULL,
    area_name VARCHAR NOT NULL, year INTEGER NOT NULL, population_0_17 INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS staging.population (
    load_id INTEGER NOT NULL, year INTEGER NOT NULL, geographic_level VARCHAR NOT NULL,
    area_code VARCHAR NOT NULL, old_la_code VARCHAR, area_name VARCHAR, age_group VARCHAR,
    population BIGINT, status VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS staging.annex_a_plans (
    load_id INTEGER NOT NULL, la_code VARCHAR NOT NULL, child_key VARCHAR NOT NULL,
    plan_key VARCHAR NOT NULL, birth_month DATE, sex VARCHAR, ethnicity VARCHAR,
    start_date DATE NOT NULL, end_date DATE, initial_category VARCHAR, latest_category VARCHAR,
    last_review_date DATE, number_of_previous_cpp INTEGER, source_row INTEGER
);

-- Annex A List 7 extracts in use (reference_date = the extract date in the file name).
CREATE OR REPLACE VIEW staging.current_annex_a_loads AS
SELECT load_id, la_code, reference_date AS as_at, period_start
FROM loads
WHERE source_type = 'annex_a' AND status = 'loaded';

CREATE TABLE IF NOT EXISTS staging.ethnic_population (
    load_id INTEGER NOT NULL, area_code VARCHAR NOT NULL, area_name VARCHAR,
    census_code INTEGER NOT NULL, ethnicity VARCHAR NOT NULL, population_all_ages BIGINT NOT NULL
);

-- The returns that count: for each LA and collection year, the newest return loaded.
CREATE OR REPLACE VIEW staging.current_census_loads AS
SELECT load_id, la_code, spec_year, reference_date, period_start
FROM loads
WHERE source_type = 'cin_census' AND status = 'loaded';

-- Published DfE benchmark data (pipelines/published/): every published cell of the EES tables
-- and the LAIT parquet, from every release loaded. published_values.sql picks one per cell (the
-- newest release wins); the others stay here, so superseded figures can still be counted.
CREATE TABLE IF NOT EXISTS staging.published_values (
    load_id INTEGER NOT NULL, source_table VARCHAR NOT NULL, source_measure VARCHAR NOT NULL,
    measure_label VARCHAR, indicator_id VARCHAR, source_rank INTEGER NOT NULL,
    release INTEGER NOT NULL, time_period INTEGER NOT NULL, geographic_level VARCHAR NOT NULL,
    area_code VARCHAR, old_la_code VARCHAR, area_name VARCHAR, region_code VARCHAR,
    region_name VARCHAR, source_value VARCHAR, value DOUBLE, status VARCHAR NOT NULL,
    decimals INTEGER NOT NULL, source_row INTEGER
);
CREATE TABLE IF NOT EXISTS staging.statistical_neighbours (
    load_id INTEGER NOT NULL, la_code VARCHAR NOT NULL, la_name VARCHAR, region_name VARCHAR,
    neighbour_rank INTEGER NOT NULL, neighbour_la_code VARCHAR NOT NULL, closeness VARCHAR,
    source_row INTEGER
);

-- CDOP extracts (pipelines/cdop.py): one row per death per extract, already pseudonymised
-- (death_key is a keyed hash of death_id; no birth date is kept). cdop_deaths.sql keeps the newest
-- version of each death; the older versions stay here, so the history can be counted.
CREATE TABLE IF NOT EXISTS staging.cdop_deaths (
    load_id INTEGER NOT NULL, la_code VARCHAR NOT NULL, death_key VARCHAR NOT NULL,
    date_of_death DATE NOT NULL, age_band VARCHAR, sex VARCHAR, ethnicity VARCHAR,
    area_code VARCHAR, notification_date DATE NOT NULL, review_completed_date DATE,
    place_of_death VARCHAR, expected BOOLEAN, sudi VARCHAR, category_of_death VARCHAR,
    modifiable_factors VARCHAR, stillbirth BOOLEAN, source_row INTEGER
);

-- Partner agency returns (pipelines/partner_returns.py): one row per return (agency x quarter
-- submission) and its values. Superseded returns keep their rows here as the history; the curated
-- partner_returns and partner_values hold the current return of each agency and quarter.
CREATE TABLE IF NOT EXISTS staging.partner_returns (
    load_id INTEGER NOT NULL, la_code VARCHAR NOT NULL, agency VARCHAR NOT NULL,
    quarter VARCHAR NOT NULL, quarter_start DATE NOT NULL, quarter_end DATE NOT NULL,
    submitted_on DATE NOT NULL, file_name VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS staging.partner_values (
    load_id INTEGER NOT NULL, la_code VARCHAR NOT NULL, agency VARCHAR NOT NULL, quarter VARCHAR NOT NULL,
    measure_id VARCHAR NOT NULL, period VARCHAR NOT NULL, frequency VARCHAR NOT NULL,
    period_start DATE NOT NULL, period_end DATE NOT NULL, numerator DOUBLE, denominator DOUBLE,
    value DOUBLE, commentary VARCHAR, source_row INTEGER
);

-- Qualitative assurance returns (pipelines/assurance_returns.py): s.11 self-assessments, case-file
-- audits and action plans. Every load's rows stay here; the curated tables take, for each s.11
-- rating (agency, cycle, standard), audit round and action id, the rows of the latest load.
CREATE TABLE IF NOT EXISTS staging.s11_ratings (
    load_id INTEGER NOT NULL, la_code VARCHAR NOT NULL, agency VARCHAR NOT NULL, cycle VARCHAR NOT NULL,
    standard_id VARCHAR NOT NULL, self_rating VARCHAR NOT NULL, evidence VARCHAR,
    agreed_rating VARCHAR NOT NULL, challenge_date DATE, source_row INTEGER
);
CREATE TABLE IF NOT EXISTS staging.audit_grades (
    load_id INTEGER NOT NULL, la_code VARCHAR NOT NULL, round_id VARCHAR NOT NULL, theme VARCHAR NOT NULL,
    audit_date DATE NOT NULL, case_key VARCHAR NOT NULL, agency VARCHAR NOT NULL,
    question_id VARCHAR NOT NULL, grade VARCHAR NOT NULL, learning_point VARCHAR, source_row INTEGER
);
CREATE TABLE IF NOT EXISTS staging.actions (
    load_id INTEGER NOT NULL, la_code VARCHAR NOT NULL, action_id VARCHAR NOT NULL, source VARCHAR NOT NULL,
    priority VARCHAR, rationale VARCHAR, objective VARCHAR, action VARCHAR NOT NULL, due_date DATE NOT NULL,
    owner VARCHAR NOT NULL, measure VARCHAR, status VARCHAR NOT NULL, last_update DATE,
    linked_ids VARCHAR, source_row INTEGER
);
