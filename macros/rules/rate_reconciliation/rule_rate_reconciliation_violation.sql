{#- True when a reported rate disagrees with numerator / denominator * scale. Not a violation when
    the computed rate, rounded half up OR truncated to the decimals the rate was written with,
    equals the reported rate, or when |reported - computed| <= tolerance (absolute, in rate units).
    99,5 vs 219/220 = 99.545 -> ok (rounded); 41,8 vs 103/246 = 41.87 -> ok (truncated);
    20 vs 7/36 = 19.44 -> violation unless tolerance >= 0.56. -#}
{% macro rule_rate_reconciliation_violation(rate, numerator, denominator, missing='skip_if_any_missing',
        tolerance=0, decimals=none, scale=100) -%}
    {%- set r = rule_input(rate, missing) -%}
    {%- set c = rule_rate_computed(numerator, denominator, missing, scale) -%}
    {%- set dec = rule_rate_decimals(rate, decimals, missing) -%}
    (not {{ rule_rate_reconciliation_skipped(rate, numerator, denominator, missing) }} and not coalesce(
        abs({{ rule_round_half_up(c, dec) }} - {{ r }}) < 1e-6
        or abs({{ rule_truncate(c, dec) }} - {{ r }}) < 1e-6
        or abs({{ c }} - {{ r }}) <= {{ tolerance }} + 1e-9,
        false))
{%- endmacro %}
