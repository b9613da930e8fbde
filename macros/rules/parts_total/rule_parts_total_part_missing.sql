{#- True when at least one part of a parts/total check is not reported (null), under a missing
    strategy that does not read a missing part as 0 (never true under missing_as_zero). -#}
{% macro rule_parts_total_part_missing(parts, missing='skip_if_any_missing') -%}
    {%- if rule_validate_missing(missing) == 'missing_as_zero' or parts | length == 0 -%}
        (1 = 0)
    {%- else -%}
        ({% for p in parts %}({{ p }}) is null{% if not loop.last %} or {% endif %}{% endfor %})
    {%- endif -%}
{%- endmacro %}
