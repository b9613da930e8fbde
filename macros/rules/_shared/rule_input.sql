{#- One input of a rule as a double, after the missing-value strategy: coalesced to 0 under
    missing_as_zero, left null otherwise. -#}
{% macro rule_input(expr, missing) -%}
    {%- if rule_validate_missing(missing) == 'missing_as_zero' -%}
        coalesce(cast({{ expr }} as double precision), 0)
    {%- else -%}
        cast({{ expr }} as double precision)
    {%- endif -%}
{%- endmacro %}
