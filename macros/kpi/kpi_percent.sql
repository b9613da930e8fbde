{#- A percentage computed from a numerator and a denominator; null when the denominator is 0 or null. -#}
{% macro kpi_percent(numerator, denominator) -%}
    100.0 * {{ numerator }} / nullif({{ denominator }}, 0)
{%- endmacro %}
