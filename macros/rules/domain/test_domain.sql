{#- Generic test: rows whose value is outside its domain. Applied to a column (column_name) or to
    a model with `columns` (a row fails when any of them is out of domain). -#}
{% test domain(model, domain_type, column_name=none, columns=none, codes=none, min_value=none,
        max_value=none, missing='skip_if_any_missing') %}
{%- set cols = columns if columns is not none else [column_name] -%}
select *
from {{ model }}
where
{%- for c in cols %}
    {{ rule_domain_violation(c, domain_type, codes, min_value, max_value, missing) }}
    {%- if not loop.last %} or{% endif %}
{%- endfor %}
{% endtest %}
