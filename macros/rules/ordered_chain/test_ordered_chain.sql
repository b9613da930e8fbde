{#- Generic test: rows where columns[0] >= columns[1] >= ... does not hold. -#}
{% test ordered_chain(model, columns, missing='skip_if_any_missing', tolerance=0) %}
select *
from {{ model }}
where {{ rule_ordered_chain_violation(columns, missing, tolerance) }}
{% endtest %}
