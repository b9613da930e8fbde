{#- x rounded half up to `decimals` places (decimals: a number or a SQL expression), with plain
    floor/power arithmetic so that it works on doubles in DuckDB and PostgreSQL alike. -#}
{% macro rule_round_half_up(x, decimals) -%}
    (floor(({{ x }}) * power(10, {{ decimals }}) + 0.5 + 1e-9) / power(10, {{ decimals }}))
{%- endmacro %}
