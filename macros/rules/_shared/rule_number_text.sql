{#- A number as short JSON-ready text: whole numbers without decimals ('2968'), others with at most
    4 decimals and no trailing zeros ('99.5455', '13.5'); null stays null. -#}
{% macro rule_number_text(expr) -%}
    (case
        when ({{ expr }}) is null then null
        when ({{ expr }}) = floor({{ expr }}) and abs({{ expr }}) < 1e15
            then cast(cast({{ expr }} as bigint) as {{ dbt.type_string() }})
        else rtrim(rtrim(cast(round(cast({{ expr }} as decimal(38, 6)), 4) as {{ dbt.type_string() }}), '0'), '.')
    end)
{%- endmacro %}
