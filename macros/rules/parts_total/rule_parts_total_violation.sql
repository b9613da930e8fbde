{#- True when the parts do not add up to the total: mode 'equal' -> |sum - total| > tolerance;
    mode 'not_exceed' -> sum - total > tolerance (exclusive categories within a total). -#}
{% macro rule_parts_total_violation(total, parts, missing='skip_if_any_missing', tolerance=0, mode='equal') -%}
    {%- if mode not in ['equal', 'not_exceed'] -%}
        {{ exceptions.raise_compiler_error("parts_total mode '" ~ mode ~ "' is not equal or not_exceed") }}
    {%- endif -%}
    {%- set t = rule_input(total, missing) -%}
    {%- set s = rule_parts_sum(parts) -%}
    (not {{ rule_parts_total_skipped(total, parts, missing) }} and coalesce(
    {%- if mode == 'equal' %}
        abs({{ s }} - {{ t }}) > {{ tolerance }} + 1e-9
    {%- else %}
        {{ s }} - {{ t }} > {{ tolerance }} + 1e-9
    {%- endif %}, false))
{%- endmacro %}
