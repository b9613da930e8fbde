{#-
    The columns of a rate computed from counts beside the rate the report states:
    <rate>_computed, <rate>_reported, <rate>_reported_qualifier (when reported_qualifier is
    given), <rate>_difference (computed - reported) and <rate>_null_reason (why the computed
    rate is null). kpi_headline_rate reads these columns back by name. Lines after the first are
    indented for a select list in a CTE.
-#}
{% macro kpi_rate_vs_reported(
    rate,
    numerator,
    denominator,
    reported,
    denominator_missing,
    denominator_zero,
    numerator_missing,
    reported_qualifier=none
) -%}
    {%- set computed = kpi_percent(numerator, denominator) %}
    {%- set null_reason = kpi_rate_null_reason(
        numerator, denominator, denominator_missing, denominator_zero, numerator_missing
    ) %}
    {{- computed }} as {{ rate }}_computed,
        {{ reported }} as {{ rate }}_reported,
    {%- if reported_qualifier is not none %}
        {{ reported_qualifier }} as {{ rate }}_reported_qualifier,
    {%- endif %}
        {{ computed }} - {{ reported }} as {{ rate }}_difference,
        {{ null_reason }} as {{ rate }}_null_reason
{%- endmacro %}
