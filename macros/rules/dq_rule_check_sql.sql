{#- The union-all branches of audit.dq_rule_checks for one catalogue rule, over the pivot CTE
    report_values: one branch for a whole-rule kind (ordered_chain, rate_reconciliation,
    parts_total, same_figure of two indicators), one per indicator for the item kinds (domain,
    completeness, outlier, same_figure with second=candidate). The violation conditions are the
    shared rule_<kind>_* macros that the generic tests use. -#}
{% macro dq_rule_check_sql(rule) -%}
    {%- set pairs = [] -%}
    {%- for code in rule.codes -%}
        {%- do pairs.append((code, 'v.' ~ dq_slug(code))) -%}
    {%- endfor -%}
    {%- do rule.update({'pairs': pairs}) -%}
    {%- set kind = rule.rule_kind -%}
    {%- if kind == 'ordered_chain' -%}
        {{ dq_check_ordered_chain(rule) }}
    {%- elif kind == 'rate_reconciliation' -%}
        {{ dq_check_rate_reconciliation(rule) }}
    {%- elif kind == 'parts_total' -%}
        {{ dq_check_parts_total(rule) }}
    {%- elif kind == 'domain' -%}
        {{ dq_check_domain(rule) }}
    {%- elif kind == 'same_figure' -%}
        {{ dq_check_same_figure(rule) }}
    {%- elif kind == 'completeness' -%}
        {{ dq_check_completeness(rule) }}
    {%- elif kind == 'outlier' -%}
        {{ dq_check_outlier(rule) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("rule " ~ rule.rule_id ~ ": unknown rule_kind '" ~ kind ~ "'") }}
    {%- endif -%}
{%- endmacro %}
