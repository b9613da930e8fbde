{#- Generic test: rows where a required column is missing. -#}
{% test completeness(model, columns, blank_is_missing=false) %}
select *
from {{ model }}
where {{ rule_completeness_violation(columns, blank_is_missing) }}
{% endtest %}
