{#- numerator / denominator * scale as a double; null when the denominator is 0 or missing. -#}
{% macro rule_rate_computed(numerator, denominator, missing='skip_if_any_missing', scale=100) -%}
    ({{ rule_input(numerator, missing) }} * {{ scale }} / nullif({{ rule_input(denominator, missing) }}, 0))
{%- endmacro %}
