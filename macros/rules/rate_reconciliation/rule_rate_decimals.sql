{#- The decimals a reported rate is compared at: `decimals` as given (a number, or a column /
    SQL expression as a string), or inferred from the reported value when none. -#}
{% macro rule_rate_decimals(rate, decimals=none, missing='skip_if_any_missing') -%}
    {%- if decimals is none or decimals == '' -%}
        {{ rule_infer_decimals(rule_input(rate, missing)) }}
    {%- else -%}
        ({{ decimals }})
    {%- endif -%}
{%- endmacro %}
