{#- dq_rule_checks branches of a completeness rule, one per required indicator: reported means the
    document has the row and its value cell is not empty (pivot column <slug>__reported). Use
    params families=... to require the indicators of one template family only. -#}
{% macro dq_check_completeness(rule) -%}
    {%- for code, col in rule.pairs -%}
        {%- set present = 'case when ' ~ col ~ '__reported then 1 end' -%}
        {{ dq_check_select(
            rule, code, [code],
            skipped='(1 = 0)',
            violated=rule_completeness_violation([present]),
            skip_reason='null',
            observed=dq_json_object([(code, col)]),
            expected="'a reported value'",
            message="'" ~ code ~ " is not reported' || case when " ~ col
                ~ "__line_start is null then ' (no row of the document maps to it)' else ' (empty value cell)' end",
            columns=[col, col ~ '__reported', col ~ '__line_start']) }}
        {%- if not loop.last %}
    union all
        {% endif -%}
    {%- endfor -%}
{%- endmacro %}
