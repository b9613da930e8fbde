with

source as (
    select * from {{ source('raw', 'reports') }}
),

final as (
    select
        report_id,
        source_file,
        source_path,
        file_sha256,
        line_count,
        template_family,
        cast(family_detection_score as double precision) as family_detection_score,
        manifest_entry_found,
        manifest_sha256_matches,
        unit_code,
        trim(unit_name) as unit_name,
        unit_level,
        trim(province) as province_name,
        trim(parent_district) as parent_district_name,
        period_year,
        period_type,
        period_number,
        {{ period_key('period_type', 'period_year', 'period_number') }} as period_key,
        doc_unit_name,
        doc_unit_line,
        doc_period_text,
        doc_period_type,
        doc_period_year,
        doc_period_number,
        doc_period_line,
        {{ period_key('doc_period_type', 'doc_period_year', 'doc_period_number') }} as doc_period_key,
        is_held_out,
        hold_reason,
        review_status,
        review_reason,
        unit_source,
        period_source,
        source_format,
        version_number,
        loaded_at,
        parser_version
    from source
)

select * from final
