{#- Non-negative x truncated (cut, not rounded) to `decimals` places: 41.87 -> 41.8 at 1 decimal.
    A tiny epsilon keeps 0.29 * 100 = 28.999999... at 29. -#}
{% macro rule_truncate(x, decimals) -%}
    (floor(({{ x }}) * power(10, {{ decimals }}) + 1e-7) / power(10, {{ decimals }}))
{%- endmacro %}
