-- The `raw` schema of the warehouse: what `cchc ingest` writes.
-- One row per thing found in a source file, each with its lineage
-- (report_id -> source_file, line_start, line_end) and the raw text beside
-- every parsed value. dbt declares these tables as sources (models/staging/_raw__sources.yml).

create schema if not exists raw;

-- One row per loaded file version. report_id is the file's sha256 (first 16 hex
-- digits): loading the same bytes twice is a no-op, a changed file is a new version.
create table if not exists raw.reports (
    report_id varchar primary key,
    source_file varchar not null,          -- file name, e.g. soctrang-vinhchau-2022-q3.txt
    source_path varchar not null,          -- path as given to cchc ingest
    file_sha256 varchar not null,
    line_count integer not null,
    template_family varchar not null,      -- soctrang_2021 | soctrang_2022 | national_2023 | national_commune_2024
    family_detection_score double not null,
    -- from the manifest (null when the manifest has no entry for the file)
    manifest_entry_found boolean not null,
    manifest_sha256_matches boolean,
    unit_code varchar,                     -- reporting unit code (seeds/reporting_units.csv)
    unit_name varchar,
    unit_level varchar,                    -- district | commune
    province varchar,
    parent_district varchar,               -- for communes
    period_year integer,
    period_type varchar,                   -- year | quarter | half | nine_months
    period_number integer,                 -- quarter 1-4, half 1-2, null otherwise
    -- what the document itself states
    doc_unit_name varchar,
    doc_unit_line integer,
    doc_period_text varchar,
    doc_period_type varchar,
    doc_period_year integer,
    doc_period_number integer,
    doc_period_line integer,
    -- held out of the marts when unit or period is unknown or contradicted
    is_held_out boolean not null,
    hold_reason varchar,
    version_number integer not null,       -- 1, 2, ... per (unit_code, period) in load order
    loaded_at timestamp not null,
    parser_version varchar not null
);

create table if not exists raw.statistic_rows (
    report_id varchar not null,
    source_file varchar not null,
    row_seq integer not null,
    line_start integer not null,
    line_end integer not null,
    section_code varchar not null,
    section_label varchar not null,
    row_code varchar not null,
    row_path varchar not null,
    parent_row_path varchar,
    depth integer not null,
    is_group boolean not null,
    raw_label varchar not null,
    label varchar not null,
    raw_unit varchar not null,
    unit varchar not null,
    raw_value varchar not null,
    value_kind varchar not null,           -- count | percent | ratio | code | text | empty
    value_number decimal(20, 6),
    qualifier varchar,
    numerator decimal(20, 6),
    denominator decimal(20, 6),
    value_text varchar,
    unit_in_value varchar,
    raw_note varchar not null,
    note varchar not null,
    footnote_marks varchar not null,       -- e.g. '⁶', '' when none
    template_row_id varchar,               -- recognized row of the family's template (seeds/template_rows)
    template_match_score double,           -- 0..100 (rapidfuzz), null when not recognized
    template_match_note varchar,           -- why not recognized / best candidate
    primary key (report_id, row_seq)
);

-- Figures read from the note column: "909 trước hạn", "99,95%", "1228/1288".
create table if not exists raw.note_values (
    report_id varchar not null,
    source_file varchar not null,
    row_seq integer not null,              -- the statistic row whose note it is
    fact_seq integer not null,
    line_start integer not null,
    line_end integer not null,
    raw_text varchar not null,
    keyword varchar,
    value_kind varchar not null,
    value_number decimal(20, 6),
    qualifier varchar,
    numerator decimal(20, 6),
    denominator decimal(20, 6),
    primary key (report_id, row_seq, fact_seq)
);

create table if not exists raw.narrative_blocks (
    report_id varchar not null,
    source_file varchar not null,
    block_seq integer not null,
    line_start integer not null,
    line_end integer not null,
    heading varchar not null,
    text varchar not null,
    primary key (report_id, block_seq)
);

-- Exactly one row per line of every loaded file.
create table if not exists raw.line_classes (
    report_id varchar not null,
    source_file varchar not null,
    line_no integer not null,
    line_class varchar not null,           -- statistic | structure | narrative | blank | quarantine
    reason varchar not null,
    line_text varchar not null,
    primary key (report_id, line_no)
);

-- Lines and rows that could not be placed, with the reason. Also rows of the
-- hand-entered CSV that failed validation (report_id null, source_file = the CSV).
create table if not exists raw.quarantine (
    quarantine_id varchar primary key,
    report_id varchar,
    source_file varchar not null,
    line_start integer not null,
    line_end integer not null,
    raw_text varchar not null,
    reason varchar not null,
    quarantined_at timestamp not null
);

-- Great Expectations results of each file's validation before commit.
create table if not exists raw.validation_results (
    report_id varchar not null,
    source_file varchar not null,
    expectation varchar not null,
    column_name varchar not null,          -- '' for table-level expectations
    success boolean not null,
    unexpected_count integer,
    details varchar,                       -- JSON: partial unexpected rows
    validated_at timestamp not null,
    primary key (report_id, expectation, column_name)
);
