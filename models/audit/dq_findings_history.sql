-- Append-only history of the findings: every build appends the findings it found, stamped with
-- the dbt invocation and its start time, and a finding key that stays the same across builds
-- (and report versions) while the same rule flags the same figures of the same unit and period.
-- The auditor's page compares the last two builds: new, still open, resolved.
-- full_refresh = false: `dbt build --full-refresh` keeps the history.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
    on_schema_change='append_new_columns'
) }}

with

rule_findings as (
    select
        finding_id,
        rule_id,
        rule_kind,
        severity,
        report_id,
        unit_code,
        period_key,
        indicator_codes,
        source_file,
        line_start,
        line_end,
        source_lines,
        observed,
        expected,
        message
    from {{ ref('dq_findings') }}
),

-- a row whose value no rule uses because the row was not recognised: its own kind of finding
unrecognised_rows as (
    select
        'unrecognised:' || coverage.statistic_row_id as finding_id,
        'row_not_recognised' as rule_id,
        'unrecognised_value' as rule_kind,
        'warning' as severity,
        coverage.report_id,
        reports.unit_code,
        reports.period_key,
        '' as indicator_codes,
        coverage.source_file,
        coverage.source_line_start as line_start,
        coverage.source_line_end as line_end,
        '[' || coverage.source_line_start || ']' as source_lines,
        coverage.raw_value as observed,
        '' as expected,
        coverage.coverage_reason || ': ' || coalesce(coverage.reason_detail, '') as message
    from {{ ref('mapping_coverage') }} as coverage
    left join {{ ref('dim_report') }} as reports
        on coverage.report_id = reports.report_id
    where
        coverage.coverage_reason in ('unrecognized_label', 'not_in_crosswalk')
        and not coverage.is_accepted
),

findings as (
    select * from rule_findings
    union all
    select * from unrecognised_rows
),

final as (
    select
        md5(
            rule_id || '|' || coalesce(unit_code, '') || '|' || coalesce(period_key, '')
            || '|' || coalesce(indicator_codes, '') || '|' || coalesce(source_lines, '')
        ) as finding_key,
        '{{ invocation_id }}' as build_id,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp) as build_started_at,
        finding_id,
        rule_id,
        rule_kind,
        severity,
        report_id,
        unit_code,
        period_key,
        indicator_codes,
        source_file,
        line_start,
        line_end,
        source_lines,
        observed,
        expected,
        message
    from findings
)

select * from final
