{#-
    Key-value rows to columns: for each key and each (value column, suffix) pair,
    `max(case when <key_column> = '<key>' then <value column> end) as <alias><suffix>`.
    A key is a string (its own column alias) or an (alias, key) pair. The caller groups by
    the columns the pivoted rows keep. One column a line, indented for a select list in a CTE.
-#}
{% macro kpi_pivot_columns(keys, key_column, value_columns) -%}
    {%- set columns = [] %}
    {%- for key in keys %}
        {%- set alias, key_value = (key, key) if key is string else key %}
        {%- for value_column, suffix in value_columns %}
            {%- do columns.append(
                "max(case when " ~ key_column ~ " = '" ~ key_value ~ "' then " ~ value_column ~ " end) as "
                ~ alias ~ suffix
            ) %}
        {%- endfor %}
    {%- endfor %}
    {{- columns | join(',\n        ') }}
{%- endmacro %}
