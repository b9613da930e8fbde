{#- True when a parts/total check is not made on this row: skip_if_any_missing -> the total or
    any part is missing; skip_if_all_missing -> the total is missing or every part is missing
    (missing parts otherwise add nothing); missing_as_zero -> never. -#}
{% macro rule_parts_total_skipped(total, parts, missing='skip_if_any_missing') -%}
    {%- set strategy = rule_validate_missing(missing) -%}
    {%- if strategy == 'skip_if_all_missing' -%}
        (({{ total }}) is null or {{ rule_missing_skip(parts, missing) }})
    {%- else -%}
        {{ rule_missing_skip([total] + parts, missing) }}
    {%- endif -%}
{%- endmacro %}
