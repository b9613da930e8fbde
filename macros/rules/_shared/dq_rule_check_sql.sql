{#- The union-all branches of audit.dq_rule_checks for one catalogue rule, over the pivot CTE
    report_values: one branch for a whole-rule kind (ordered_chain, rate_reconciliation,
    parts_total, same_figure of two indicators), one per indicator for the item kinds (domain,
    completeness, outlier, same_figure with second=candidate). The branch is written by the
    kind's macro dq_check_<rule_kind> (macros/rules/<rule_kind>/), found by dq_rule_kind_check:
    a new rule kind needs no change here. -#}
{% macro dq_rule_check_sql(rule) -%}
    {%- set pairs = [] -%}
    {%- for code in rule.codes -%}
        {%- do pairs.append((code, 'v.' ~ dq_slug(code))) -%}
    {%- endfor -%}
    {%- do rule.update({'pairs': pairs}) -%}
    {%- set check = dq_rule_kind_check(rule) -%}
    {{ check(rule) }}
{%- endmacro %}
