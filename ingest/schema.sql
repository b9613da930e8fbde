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
    unit_code varchar,                     -- dim_reporting_unit code: GSO code (legacy register), 2025:<code>
    unit_name varchar,
    unit_level varchar,                    -- province | district | commune
    province varchar,
    parent_district varchar,               -- a commune's district ("huyện Trực Ninh")
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

-- Hand-entered values (ingest/hand_entered.py, ingest/hand_entered_load.py): figures typed in by
-- the data team from paper, a report's narrative or official news, one CSV row per reporting
-- unit x period x indicator. One row per loaded CSV file version; file_id is the file's sha256
-- (first 16 hex digits): loading the same bytes twice is a no-op, a changed file (same name) is
-- the next version and only the latest version of a file name reaches the marts. Rows that fail
-- validation go to raw.quarantine (report_id null, quarantine_id = file_id:line).
create table if not exists raw.hand_entered_files (
    file_id varchar primary key,
    source_file varchar not null,          -- CSV file name, e.g. values.csv
    source_path varchar not null,          -- path as given to cchc ingest
    file_sha256 varchar not null,
    line_count integer not null,
    row_count integer not null,            -- data rows (valid + rejected; blank lines not counted)
    value_count integer not null,          -- valid rows, in raw.hand_entered_values
    rejected_count integer not null,       -- rows in raw.quarantine
    version_number integer not null,       -- 1, 2, ... per source_file in load order
    loaded_at timestamp not null,
    parser_version varchar not null
);

create table if not exists raw.hand_entered_values (
    file_id varchar not null,
    source_file varchar not null,
    line_start integer not null,           -- CSV line of the row (header = line 1)
    line_end integer not null,             -- = line_start unless a quoted cell spans lines
    raw_unit_code varchar not null,        -- cells as written (NFC) ...
    raw_period varchar not null,
    raw_indicator_code varchar not null,
    raw_value varchar not null,
    raw_unit varchar not null,
    unit_code varchar not null,            -- ... and validated against the seeds
    unit_name varchar not null,
    unit_level varchar not null,           -- province | district | commune
    province varchar,
    parent_unit_code varchar,
    period_year integer not null,
    period_type varchar not null,          -- year | quarter | half | nine_months
    period_number integer,
    indicator_code varchar not null,
    unit varchar not null,                 -- unit used to read the value (the cell, or implied by the indicator)
    value_kind varchar not null,           -- count | percent | ratio | code | text
    value_number decimal(20, 6),
    qualifier varchar,
    numerator decimal(20, 6),
    denominator decimal(20, 6),
    value_text varchar,
    unit_in_value varchar,
    source_reference varchar not null,     -- where the figure was read
    note varchar not null,
    primary key (file_id, line_start)
);

-- The official register of administrative units (ingest/register.py, package vietnamadminunits),
-- both editions: 'legacy' (63 provinces, three levels, until 2025-06-30) and '2025' (34 provinces,
-- two levels, from 2025-07-01). The 2025 edition reuses codes of the legacy one, so a unit is keyed
-- by (edition, gso_code). Reloaded (ingest/register_load.py) only when the package version changes.
create table if not exists raw.admin_units (
    edition varchar not null,              -- legacy | 2025
    gso_code varchar not null,             -- GSO code with its leading zeros ("01", "949", "14056")
    name varchar not null,                 -- without its type word: "Duyên Hải"
    unit_type varchar not null,            -- tỉnh | thành phố | huyện | quận | thị xã | xã | phường | thị trấn | đặc khu
    level varchar not null,                -- province | district | commune
    parent_code varchar,                   -- a district's province, a legacy commune's district, a 2025 commune's province
    province_code varchar not null,
    valid_from date,
    valid_to date,
    successor_code varchar,                -- default 2025 successor (legacy units)
    successor_codes varchar,               -- all 2025 successors, '|'-separated
    source_version varchar not null,       -- package version
    primary key (edition, gso_code)
);

create table if not exists raw.register_loads (
    source_version varchar primary key,
    unit_count integer not null,
    loaded_at timestamp not null
);

-- How each report's unit and period were resolved, and the re-submission review
-- (ingest/intake.py re-decides these after every batch from the stored rows, without re-reading files).
alter table raw.reports add column if not exists unit_source varchar;     -- manifest | document header | none
alter table raw.reports add column if not exists period_source varchar;   -- manifest | document header | file name | none
alter table raw.reports add column if not exists review_status varchar;   -- current | superseded | held for review | accepted | rejected | held out
alter table raw.reports add column if not exists review_reason varchar;   -- why held for review (null otherwise)
alter table raw.reports add column if not exists batch_id varchar;        -- the ingest run that first loaded the file
alter table raw.reports add column if not exists context_province varchar; -- `cchc ingest --province` the file was last ingested with
alter table raw.reports add column if not exists context_district varchar;

-- People's decisions on reports held for review: `cchc accept|reject FILE|REPORT_ID`.
create table if not exists raw.report_decisions (
    report_id varchar not null,
    decision varchar not null,             -- accept | reject
    decided_by varchar not null,
    decided_at timestamp not null,
    note varchar,
    primary key (report_id, decided_at)
);

-- Originals (DOCX, XLSX, PDF, legacy .doc/.xls read by ingest/readers): the file's format, where each
-- line of its text form stands in it ("docx table 1 row 3", "xlsx 'Biểu'!A12:E12", "pdf page 2 line 7
-- bbox (...)") and where each statistic row's value was read ("docx table 1 row 3 cell 4"); null for
-- text files, whose line numbers are the place.
alter table raw.reports add column if not exists source_format varchar;         -- text | docx | xlsx | pdf | doc | xls
alter table raw.line_classes add column if not exists source_place varchar;
alter table raw.statistic_rows add column if not exists value_place varchar;
