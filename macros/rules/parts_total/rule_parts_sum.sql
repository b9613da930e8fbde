{#- The sum of the parts, a missing part adding nothing (used after the skip decision). -#}
{% macro rule_parts_sum(parts) -%}
    ({% for p in parts %}coalesce(cast({{ p }} as double precision), 0){% if not loop.last %} + {% endif %}{% endfor %})
{%- endmacro %}
