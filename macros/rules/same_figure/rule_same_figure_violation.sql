{#- True when the same figure stated twice disagrees: |first - second| > tolerance and, when
    `rounding` is true, neither value rounded or truncated to the decimals the other was written
    with equals the other (a note's "99,95%" against a table's 99.958). -#}
{% macro rule_same_figure_violation(first, second, missing='skip_if_any_missing', tolerance=0,
        rounding=false) -%}
    {%- set a = rule_input(first, missing) -%}
    {%- set b = rule_input(second, missing) -%}
    (not {{ rule_same_figure_skipped(first, second, missing) }} and not coalesce(
        abs({{ a }} - {{ b }}) <= {{ tolerance }} + 1e-9
    {%- if rounding in [true, 'true', 'True', 1, '1'] %}
        {%- for x, y in [(a, b), (b, a)] %}
        or abs({{ rule_round_half_up(x, rule_infer_decimals(y)) }} - {{ y }}) < 1e-6
        or abs({{ rule_truncate(x, rule_infer_decimals(y)) }} - {{ y }}) < 1e-6
        {%- endfor %}
    {%- endif %}, false))
{%- endmacro %}
