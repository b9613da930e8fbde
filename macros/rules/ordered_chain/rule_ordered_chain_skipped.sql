{#- True when an ordered chain a >= b >= c ... is not checked on this row (missing-value strategy). -#}
{% macro rule_ordered_chain_skipped(columns, missing='skip_if_any_missing') -%}
    {{ rule_missing_skip(columns, missing) }}
{%- endmacro %}
