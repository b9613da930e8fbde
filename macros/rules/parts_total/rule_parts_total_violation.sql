{#- True when the parts do not add up to the total: mode 'equal' -> |sum - total| > tolerance;
    mode 'not_exceed' -> sum - total > tolerance (exclusive categories within a total). An empty
    part is "not reported", never 0: when a part is missing, only "the reported parts do not
    exceed the total" can be proven, so mode 'equal' then checks only that. -#}
{% macro rule_parts_total_violation(total, parts, missing='skip_if_any_missing', tolerance=0, mode='equal') -%}
    {%- if mode not in ['equal', 'not_exceed'] -%}
        {{ exceptions.raise_compiler_error("parts_total mode '" ~ mode ~ "' is not equal or not_exceed") }}
    {%- endif -%}
    {%- set t = rule_input(total, missing) -%}
    {%- set s = rule_parts_sum(parts) -%}
    (not {{ rule_parts_total_skipped(total, parts, missing) }} and coalesce(
    {%- if mode == 'equal' %}
        case
            when {{ rule_parts_total_part_missing(parts, missing) }} then {{ s }} - {{ t }} > {{ tolerance }} + 1e-9
            else abs({{ s }} - {{ t }}) > {{ tolerance }} + 1e-9
        end
    {%- else %}
        {{ s }} - {{ t }} > {{ tolerance }} + 1e-9
    {%- endif %}, false))
{%- endmacro %}
