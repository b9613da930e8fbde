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

findings as (
    -- rows whose value no rule uses (not recognised, not mapped) are findings of their own in
    -- dq_findings (rule unmapped_value), so they are in the history too
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
        message,
        message_vi
    from {{ ref('dq_findings') }}
),

final as (
    select
        md5(
            findings.rule_id || '|' || coalesce(findings.unit_code, '') || '|'
            || coalesce(findings.period_key, '') || '|' || coalesce(findings.indicator_codes, '')
            || '|' || coalesce(findings.source_lines, '')
        ) as finding_key,
        '{{ invocation_id }}' as build_id,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp) as build_started_at,
        findings.*,
        '{{ invocation_id }}' || ':' || findings.finding_id as history_id
    from findings
)

select * from final
