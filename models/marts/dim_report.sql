-- One row per report: every loaded document version (stg_raw__reports) and every hand-entered
-- report (one per hand-entered CSV file version x unit x period, template_family 'hand_entered').
-- Versions of documents are counted per unit and period; a hand-entered report is current when its
-- CSV file version is the latest of that file name. The two never supersede each other: which
-- value a unit x period x indicator takes when both state it is decided in fct_indicator_values.
with

reports as (
    select * from {{ ref('stg_raw__reports') }}
),

hand_entered_reports as (
    select * from {{ ref('int_hand_entered__reports') }}
),

reporting_units as (
    select * from {{ ref('dim_reporting_unit') }}
),

latest_versions as (
    select
        unit_code,
        period_key,
        max(version_number) as latest_version_number
    from reports
    where not is_held_out
    group by unit_code, period_key
),

document_reports as (
    select
        reports.report_id,
        reports.source_file,
        reports.source_path,
        reports.file_sha256,
        reports.line_count,
        reports.template_family,
        reports.family_detection_score,
        reports.parser_version,
        reports.loaded_at,
        reports.manifest_entry_found,
        reports.manifest_sha256_matches,
        reports.unit_code,
        reports.unit_name,
        reports.unit_level,
        reports.province_name,
        reports.parent_district_name,
        reports.period_key,
        reports.period_year,
        reports.period_type,
        reports.period_number,
        reports.doc_unit_name,
        reports.doc_unit_line,
        reports.doc_period_text,
        reports.doc_period_key,
        reports.doc_period_line,
        reports.is_held_out,
        reports.hold_reason,
        reports.version_number,
        coalesce(
            not reports.is_held_out and reports.version_number = latest_versions.latest_version_number,
            false
        ) as is_current_version
    from reports
    left join latest_versions
        on
            reports.unit_code = latest_versions.unit_code
            and reports.period_key = latest_versions.period_key
),

hand_entered_as_reports as (
    select
        report_id,
        source_file,
        source_path,
        file_sha256,
        line_count,
        template_family,
        cast(null as double precision) as family_detection_score,
        parser_version,
        loaded_at,
        false as manifest_entry_found,
        cast(null as boolean) as manifest_sha256_matches,
        unit_code,
        unit_name,
        unit_level,
        province_name,
        parent_district_name,
        period_key,
        period_year,
        period_type,
        period_number,
        cast(null as {{ dbt.type_string() }}) as doc_unit_name,
        cast(null as integer) as doc_unit_line,
        cast(null as {{ dbt.type_string() }}) as doc_period_text,
        cast(null as {{ dbt.type_string() }}) as doc_period_key,
        cast(null as integer) as doc_period_line,
        false as is_held_out,
        cast(null as {{ dbt.type_string() }}) as hold_reason,
        version_number,
        is_current_version
    from hand_entered_reports
),

all_reports as (
    select * from document_reports
    union all
    select * from hand_entered_as_reports
),

final as (
    select
        all_reports.report_id,
        all_reports.source_file,
        all_reports.source_path,
        all_reports.file_sha256,
        all_reports.line_count,
        all_reports.template_family,
        all_reports.family_detection_score,
        all_reports.parser_version,
        all_reports.loaded_at,
        all_reports.manifest_entry_found,
        all_reports.manifest_sha256_matches,
        all_reports.unit_code,
        all_reports.unit_name,
        all_reports.unit_level,
        all_reports.province_name,
        all_reports.parent_district_name,
        reporting_units.province_code_at_report,
        reporting_units.province_code_today,
        all_reports.period_key,
        all_reports.period_year,
        all_reports.period_type,
        all_reports.period_number,
        all_reports.doc_unit_name,
        all_reports.doc_unit_line,
        all_reports.doc_period_text,
        all_reports.doc_period_key,
        all_reports.doc_period_line,
        all_reports.is_held_out,
        all_reports.hold_reason,
        all_reports.version_number,
        all_reports.is_current_version
    from all_reports
    left join reporting_units
        on all_reports.unit_code = reporting_units.unit_code
)

select * from final
