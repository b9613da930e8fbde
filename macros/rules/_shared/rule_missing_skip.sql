{#- True when a check over these inputs is skipped for missing values:
    skip_if_any_missing -> any input is null; skip_if_all_missing -> every input is null;
    missing_as_zero -> never. -#}
{% macro rule_missing_skip(exprs, missing) -%}
    {%- set strategy = rule_validate_missing(missing) -%}
    {%- if strategy == 'missing_as_zero' or exprs | length == 0 -%}
        (1 = 0)
    {%- elif strategy == 'skip_if_any_missing' -%}
        ({% for e in exprs %}({{ e }}) is null{% if not loop.last %} or {% endif %}{% endfor %})
    {%- else -%}
        ({% for e in exprs %}({{ e }}) is null{% if not loop.last %} and {% endif %}{% endfor %})
    {%- endif -%}
{%- endmacro %}
