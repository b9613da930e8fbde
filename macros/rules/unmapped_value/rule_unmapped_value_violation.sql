{#- True when a statistic row's coverage reason (marts.mapping_coverage.coverage_reason) says its
    value reaches no indicator: unrecognized_label (the label matched no template row),
    not_in_crosswalk (the template row has no crosswalk entry) or deliberately_unmapped (a group
    header or an out-of-scope row, with the crosswalk's reason). Duplicates and held-out or
    superseded reports are accounted for elsewhere. -#}
{% macro rule_unmapped_value_violation(reason) -%}
    coalesce({{ reason }} in ('unrecognized_label', 'not_in_crosswalk', 'deliberately_unmapped'), false)
{%- endmacro %}
