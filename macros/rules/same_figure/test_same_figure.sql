{#- Generic test: rows where a figure stated twice (two columns) disagrees beyond the tolerance. -#}
{% test same_figure(model, first, second, missing='skip_if_any_missing', tolerance=0, rounding=false) %}
select *
from {{ model }}
where {{ rule_same_figure_violation(first, second, missing, tolerance, rounding) }}
{% endtest %}
