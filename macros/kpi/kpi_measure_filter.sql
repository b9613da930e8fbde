{#-
    The condition that keeps the rows of the given measures:
    `<key_column> in ('<key>', ...)`, a measure being a key or an (alias, key) pair.
-#}
{% macro kpi_measure_filter(measures, key_column='indicator_code') -%}
    {{ key_column }} in (
    {%- for measure in measures -%}
        '{{ measure if measure is string else measure[1] }}'{{ ', ' if not loop.last }}
    {%- endfor -%}
    )
{%- endmacro %}
