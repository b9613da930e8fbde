{#- The registry of rule kinds: the macro dq_check_<rule_kind> of the project (each kind's folder
    macros/rules/<rule_kind>/ defines one), looked up by name in the Jinja context, so that adding
    a rule kind is one folder and one catalogue row. A compiler error names the rule when its
    kind has no such macro. -#}
{% macro dq_rule_kind_check(rule) -%}
    {%- set check = context.get('dq_check_' ~ rule.rule_kind) -%}
    {%- if check is none -%}
        {{ exceptions.raise_compiler_error(
            "rule " ~ rule.rule_id ~ ": unknown rule_kind '" ~ rule.rule_kind
            ~ "' (no macro dq_check_" ~ rule.rule_kind ~ " in macros/rules/" ~ rule.rule_kind ~ "/)") }}
    {%- endif -%}
    {{ return(check) }}
{%- endmacro %}
