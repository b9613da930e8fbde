{#- The number of decimals a reported value was written with, inferred from the value itself
    (0 to 4; trailing zeros are not seen: 99,50 counts as 1 decimal, which is the lenient side). -#}
{% macro rule_infer_decimals(x) -%}
    (case
        {%- for d in range(4) %}
        when abs(({{ x }}) * {{ 10 ** d }} - floor(({{ x }}) * {{ 10 ** d }} + 0.5)) < 1e-6 then {{ d }}
        {%- endfor %}
        else 4
    end)
{%- endmacro %}
