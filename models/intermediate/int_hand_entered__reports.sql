-- The hand-entered "reports": one per (hand-entered CSV file version, reporting unit, period),
-- shaped like the document reports of stg_raw__reports so that dim_report carries both. A
-- hand-entered report is current when its CSV file version is the latest of that file name; it is
-- never held out (rows with an unknown unit or period were quarantined at load time).
with

hand_entered_values as (
    select * from {{ ref('stg_raw__hand_entered_values') }}
),

hand_entered_files as (
    select * from {{ ref('stg_raw__hand_entered_files') }}
),

report_units as (
    select
        report_id,
        file_id,
        unit_code,
        period_key,
        max(unit_name) as unit_name,
        max(unit_level) as unit_level,
        max(province_name) as province_name,
        max(parent_unit_code) as parent_unit_code,
        max(period_year) as period_year,
        max(period_type) as period_type,
        max(period_number) as period_number,
        count(*) as value_count,
        min(line_start) as first_line,
        max(line_end) as last_line
    from hand_entered_values
    group by report_id, file_id, unit_code, period_key
),

final as (
    select
        report_units.report_id,
        hand_entered_files.file_id,
        hand_entered_files.source_file,
        hand_entered_files.source_path,
        hand_entered_files.file_sha256,
        hand_entered_files.line_count,
        'hand_entered' as template_family,
        hand_entered_files.parser_version,
        hand_entered_files.loaded_at,
        report_units.unit_code,
        report_units.unit_name,
        report_units.unit_level,
        report_units.province_name,
        case
            when report_units.unit_level = 'commune' then report_units.parent_unit_code
        end as parent_district_name,
        report_units.period_key,
        report_units.period_year,
        report_units.period_type,
        report_units.period_number,
        report_units.value_count,
        report_units.first_line,
        report_units.last_line,
        hand_entered_files.version_number,
        hand_entered_files.is_current_version
    from report_units
    inner join hand_entered_files
        on report_units.file_id = hand_entered_files.file_id
)

select * from final
