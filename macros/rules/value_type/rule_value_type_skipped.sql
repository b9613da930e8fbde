{#- True when a value-type check is not made: the indicator is not reported (no row, or an empty
    cell: value kind null or 'empty'). -#}
{% macro rule_value_type_skipped(kind) -%}
    ({{ kind }} is null or {{ kind }} = 'empty')
{%- endmacro %}
