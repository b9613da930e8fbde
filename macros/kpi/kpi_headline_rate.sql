{#-
    One branch of kpi_headline_values.kpi_values: the headline value of `kpi_code` from the
    columns <rate>_computed, <rate>_reported, <rate>_reported_qualifier and <rate>_null_reason
    of a KPI mart (kpi_rate_vs_reported). The value computed from the counts is preferred, else
    the reported rate; the qualifier (a bound such as 'over') only comes with a reported rate.
    Without a reported rate (has_reported=false) only <rate>_computed and <rate>_null_reason
    are read.
-#}
{% macro kpi_headline_rate(kpi_code, relation, rate, numerator, denominator, is_cumulative, has_reported=true) -%}
    select
        report_id,
        '{{ kpi_code }}' as kpi_code,
    {%- if has_reported %}
        coalesce({{ rate }}_computed, {{ rate }}_reported) as kpi_value,
        case
            when {{ rate }}_computed is not null then 'computed_from_counts'
            when {{ rate }}_reported is not null then 'reported_rate'
        end as kpi_basis,
        case when {{ rate }}_computed is null then {{ rate }}_reported_qualifier end as qualifier,
    {%- else %}
        {{ rate }}_computed as kpi_value,
        case when {{ rate }}_computed is not null then 'computed_from_counts' end as kpi_basis,
        cast(null as {{ dbt.type_string() }}) as qualifier,
    {%- endif %}
        {{ numerator }} as numerator,
        {{ denominator }} as denominator,
        {{ is_cumulative }} as is_cumulative,
    {%- if has_reported %}
        case when {{ rate }}_reported is null then {{ rate }}_null_reason end as value_null_reason
    {%- else %}
        {{ rate }}_null_reason as value_null_reason
    {%- endif %}
    from {{ relation }}
{%- endmacro %}
