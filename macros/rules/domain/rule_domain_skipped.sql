{#- True when a domain check is not made on this row: the value is missing (null; under
    missing_as_zero a missing value is checked as 0, so never skipped). -#}
{% macro rule_domain_skipped(value, missing='skip_if_any_missing') -%}
    {{ rule_input(value, missing) }} is null
{%- endmacro %}
