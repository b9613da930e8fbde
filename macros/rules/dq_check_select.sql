{#- One branch of audit.dq_rule_checks: a select over the pivot `v` (one row per report) with the
    uniform columns of a check. Arguments are SQL expressions, except rule (the catalogue dict),
    item_code and involved_codes (Python strings / list). -#}
{% macro dq_check_select(rule, item_code, involved_codes, skipped, violated, skip_reason, observed, expected,
        message, uses_second=false, source='report_values as v') -%}
    select
        v.report_id,
        v.unit_code,
        v.period_key,
        v.template_family,
        v.source_file,
        '{{ rule.rule_id }}' as rule_id,
        '{{ rule.rule_kind }}' as rule_kind,
        '{{ rule.severity }}' as severity,
        '{{ item_code }}' as item_code,
        '{{ rule.codes | join(",") }}' as rule_indicator_codes,
        '{{ involved_codes | join(",") }}' as indicator_codes,
        case
            when not {{ dq_applicable(rule) }} then 'skipped'
            when {{ skipped }} then 'skipped'
            when {{ violated }} then 'failed'
            else 'passed'
        end as status,
        case
            when not {{ dq_applicable(rule) }}
                then 'not applicable to template family ' || v.template_family
            when {{ skipped }} then {{ skip_reason }}
        end as skip_reason,
        {{ dq_json_object(rule.pairs) }} as rule_observed,
        {{ observed }} as observed,
        case when {{ dq_applicable(rule) }} and {{ violated }} then {{ expected }} end as expected,
        case when {{ dq_applicable(rule) }} and {{ violated }} then {{ message }} end as message,
        {{ 'true' if uses_second else 'false' }} as uses_second_statement
    from {{ source }}
{%- endmacro %}
