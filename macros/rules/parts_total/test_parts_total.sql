{#- Generic test: rows whose parts do not add up to (mode 'equal') or exceed (mode 'not_exceed')
    the total. -#}
{% test parts_total(model, total, parts, missing='skip_if_any_missing', tolerance=0, mode='equal') %}
select *
from {{ model }}
where {{ rule_parts_total_violation(total, parts, missing, tolerance, mode) }}
{% endtest %}
