{#-
    Why a rate computed from counts is null: the denominator is not reported, the denominator
    is zero, or the numerator is not reported (null when the rate can be computed). The reasons
    are text, quoted here. Lines after the first are indented for a select list in a CTE.
-#}
{% macro kpi_rate_null_reason(numerator, denominator, denominator_missing, denominator_zero, numerator_missing) -%}
    case
            when {{ denominator }} is null then '{{ denominator_missing | replace("'", "''") }}'
            when {{ denominator }} = 0 then '{{ denominator_zero | replace("'", "''") }}'
            when {{ numerator }} is null then '{{ numerator_missing | replace("'", "''") }}'
        end
{%- endmacro %}
