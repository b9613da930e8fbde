{#- True when a reported value was read as a kind (staging value_kind: count, percent, ratio, code,
    text) that the indicator's type does not take, e.g. a percent in a count row. `accepted` is a
    list of value kinds or a string 'a|b'. A value not reported is never a violation. -#}
{% macro rule_value_type_violation(kind, accepted) -%}
    {%- set kinds = accepted.split('|') if accepted is string else accepted -%}
    (not {{ rule_value_type_skipped(kind) }}
        and {{ kind }} not in ({% for k in kinds %}'{{ k | trim }}'{% if not loop.last %}, {% endif %}{% endfor %}))
{%- endmacro %}
