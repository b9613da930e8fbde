{#- True when a rate reconciliation cannot be checked: the rate, numerator or denominator is
    missing (after the missing-value strategy; the check needs all three) or the denominator is 0. -#}
{% macro rule_rate_reconciliation_skipped(rate, numerator, denominator, missing='skip_if_any_missing') -%}
    {%- set r = rule_input(rate, missing) -%}
    {%- set n = rule_input(numerator, missing) -%}
    {%- set d = rule_input(denominator, missing) -%}
    ({{ r }} is null or {{ n }} is null or {{ d }} is null or {{ d }} = 0)
{%- endmacro %}
