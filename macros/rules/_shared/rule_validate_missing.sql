{#- Return the missing-value strategy unchanged, or stop compilation when it is not one of the three. -#}
{% macro rule_validate_missing(missing) -%}
    {%- set allowed = ['skip_if_any_missing', 'skip_if_all_missing', 'missing_as_zero'] -%}
    {%- if missing not in allowed -%}
        {{ exceptions.raise_compiler_error(
            "missing strategy '" ~ missing ~ "' is not one of " ~ allowed | join(', ')) }}
    {%- endif -%}
    {{- missing -}}
{%- endmacro %}
