{#- True when two statements of the same figure cannot be compared (one or both missing, per the
    missing-value strategy; both are needed except under missing_as_zero). -#}
{% macro rule_same_figure_skipped(first, second, missing='skip_if_any_missing') -%}
    ({{ rule_input(first, missing) }} is null or {{ rule_input(second, missing) }} is null)
{%- endmacro %}
