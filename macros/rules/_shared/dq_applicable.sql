{#- SQL condition: the rule applies to the report's template family (param families=a|b; all
    families when not given). Expects the pivot's template_family column as v.template_family. -#}
{% macro dq_applicable(rule) -%}
    {%- set families = rule.params.get('families', '') -%}
    {%- if families == '' -%}
        (1 = 1)
    {%- else -%}
        (v.template_family in ({% for f in families.split('|') %}'{{ f | trim }}'{% if not loop.last %}, {% endif %}{% endfor %}))
    {%- endif -%}
{%- endmacro %}
