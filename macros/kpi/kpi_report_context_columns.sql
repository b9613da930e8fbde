{#-
    The report attributes every per-report KPI mart carries after its key, from
    int_kpi_report_context: unit (code, name, its names in Vietnamese and English, level and the
    level's names), province at the time of the report (code, names) and the period (key, type,
    end date). Lines after the first are indented for a select list in a CTE.
-#}
{% macro kpi_report_context_columns(relation='report_context') -%}
    {{ relation }}.unit_code,
        {{ relation }}.unit_name,
        {{ relation }}.unit_name_vi,
        {{ relation }}.unit_name_en,
        {{ relation }}.unit_level,
        {{ relation }}.unit_level_name_vi,
        {{ relation }}.unit_level_name_en,
        {{ relation }}.province_code_at_report,
        {{ relation }}.province_name_vi,
        {{ relation }}.province_name_en,
        {{ relation }}.period_key,
        {{ relation }}.period_type,
        {{ relation }}.period_end_date
{%- endmacro %}
