{#- True when any of the required columns is missing (null, or blank text when `blank_is_missing`). -#}
{% macro rule_completeness_violation(columns, blank_is_missing=false) -%}
    ({% for c in columns -%}
        {%- if blank_is_missing -%}
        nullif(trim(cast({{ c }} as {{ dbt.type_string() }})), '') is null
        {%- else -%}
        ({{ c }}) is null
        {%- endif -%}
        {%- if not loop.last %} or {% endif -%}
    {%- endfor %})
{%- endmacro %}
