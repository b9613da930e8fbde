with

reports as (
    select * from {{ ref('stg_raw__reports') }}
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

final as (
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
        reporting_units.province_code_at_report,
        reporting_units.province_code_today,
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
    left join reporting_units
        on reports.unit_code = reporting_units.unit_code
    left join latest_versions
        on
            reports.unit_code = latest_versions.unit_code
            and reports.period_key = latest_versions.period_key
)

select * from final
