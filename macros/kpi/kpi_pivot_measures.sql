{#-
    The pivot of int_kpi_measure_inputs rows into one column per measure, for the select list of a
    KPI model's `pivoted` CTE (grouped by report_id, or report_id and a level): for each measure
    its value (<alias>), its source line (<alias>_source_line) and its qualifier
    (<alias>_qualifier), then reported_value_count, the number of values reported (not null).
    A measure is an (alias, indicator code) pair, or one name when key_column holds the name.
-#}
{% macro kpi_pivot_measures(measures, key_column='indicator_code') -%}
    {{ kpi_pivot_columns(measures, key_column, [
        ('measure_value', ''),
        ('source_line_start', '_source_line'),
        ('qualifier', '_qualifier'),
    ]) }},
        sum(case when measure_value is not null then 1 else 0 end) as reported_value_count
{%- endmacro %}
