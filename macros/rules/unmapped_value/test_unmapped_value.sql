{#- Generic test: rows (of marts.mapping_coverage or alike) that carry a value but reach no
    indicator: label not recognised or template row not in the crosswalk. -#}
{% test unmapped_value(model, column_name, carries_value='carries_value') %}
select *
from {{ model }}
where {{ carries_value }} and {{ rule_unmapped_value_violation(column_name) }}
{% endtest %}
