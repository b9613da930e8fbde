{#- True when the i-th and j-th values of a chain (0-based, i < j) are neighbours among the values
    present (every value between them is missing) and the later one exceeds the earlier one by more
    than the tolerance. Under skip_if_all_missing a missing link is stepped over: a >= c when b is
    missing; under missing_as_zero nothing is missing. -#}
{% macro rule_ordered_chain_pair_violation(columns, i, j, missing='skip_if_any_missing', tolerance=0) -%}
    {%- set a = rule_input(columns[i], missing) -%}
    {%- set b = rule_input(columns[j], missing) -%}
    ({{ a }} is not null and {{ b }} is not null
    {%- for k in range(i + 1, j) %} and {{ rule_input(columns[k], missing) }} is null{% endfor %}
    and {{ b }} - {{ a }} > {{ tolerance }} + 1e-9)
{%- endmacro %}
