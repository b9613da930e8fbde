{#- Generic test: rows whose value kind (column_name, e.g. value_kind) is not one of `accepted`. -#}
{% test value_type(model, column_name, accepted) %}
select *
from {{ model }}
where {{ rule_value_type_violation(column_name, accepted) }}
{% endtest %}
