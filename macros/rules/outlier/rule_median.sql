{#- Median aggregate, per adapter (DuckDB median(); the SQL-standard ordered-set aggregate elsewhere). -#}
{% macro rule_median(expr) -%}
    {{ return(adapter.dispatch('rule_median')(expr)) }}
{%- endmacro %}

{% macro default__rule_median(expr) -%}
    percentile_cont(0.5) within group (order by {{ expr }})
{%- endmacro %}

{% macro duckdb__rule_median(expr) -%}
    median({{ expr }})
{%- endmacro %}
