{#- One branch of audit.dq_rule_checks: a select over `source` (by default the pivot, one row per
    report, aliased v) with the uniform columns of a check. item_code, indicator_codes, skipped,
    violated, skip_reason, observed, expected, message and message_vi (the same message in
    Vietnamese, shown on the Vietnamese audit page) are SQL expressions over v; rule is the
    catalogue dict; columns lists the source columns the expressions use ('v.<name>'). The
    conditions are evaluated once in an inner select that keeps only those columns. severity is
    an optional SQL expression over v (default: the rule's severity) for kinds whose certainty
    depends on the row (a parts rule with a part not reported is at most a warning). -#}
{% macro dq_check_select(rule, item_code, indicator_codes, skipped, violated, skip_reason, observed, expected,
        message, columns, uses_second=false, source='report_values as v', severity=none, message_vi=none) -%}
    {%- if message_vi is none -%}
        {{ exceptions.raise_compiler_error("rule " ~ rule.rule_id ~ ": dq_check_select needs message_vi") }}
    {%- endif %}
    select
        v.report_id,
        v.unit_code,
        v.period_key,
        v.template_family,
        v.source_file,
        '{{ rule.rule_id }}' as rule_id,
        '{{ rule.rule_kind }}' as rule_kind,
        {{ severity if severity is not none else "'" ~ rule.severity ~ "'" }} as severity,
        {{ item_code }} as item_code,
        {{ indicator_codes }} as indicator_codes,
        case
            when not v.__applicable then 'skipped'
            when v.__skipped then 'skipped'
            when v.__violated then 'failed'
            else 'passed'
        end as status,
        case
            when not v.__applicable then 'not applicable to template family ' || v.template_family
            when v.__skipped then {{ skip_reason }}
        end as skip_reason,
        {{ observed }} as observed,
        case when v.__applicable and not v.__skipped and v.__violated then {{ expected }} end as expected,
        case when v.__applicable and not v.__skipped and v.__violated then {{ message }} end as message,
        case when v.__applicable and not v.__skipped and v.__violated then {{ message_vi }} end as message_vi,
        {{ 'true' if uses_second else 'false' }} as uses_second_statement
    from (
        select
            v.report_id,
            v.unit_code,
            v.period_key,
            v.template_family,
            v.source_file,
            {%- for col in columns | unique %}
            {{ col }},
            {%- endfor %}
            coalesce({{ dq_applicable(rule) }}, false) as __applicable,
            coalesce({{ skipped }}, false) as __skipped,
            coalesce({{ violated }}, false) as __violated
        from {{ source }}
    ) as v
{%- endmacro %}
