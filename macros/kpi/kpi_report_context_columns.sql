{#-
    The report attributes every per-report KPI mart carries after its key, from
    int_kpi_report_context: unit (code, name, level), province at the time of the report and the
    period (key, type, end date). Lines after the first are indented for a select list in a CTE.
-#}
{% macro kpi_report_context_columns(relation='report_context') -%}
    {{ relation }}.unit_code,
        {{ relation }}.unit_name,
        {{ relation }}.unit_level,
        {{ relation }}.province_code_at_report,
        {{ relation }}.period_key,
        {{ relation }}.period_type,
        {{ relation }}.period_end_date
{%- endmacro %}
