{#- Text naming the (key, SQL expression) inputs that are null ('missing: a, b'); null when none is. -#}
{% macro dq_missing_list(pairs) -%}
    nullif('missing: ' || concat_ws(', '
    {%- for key, expr in pairs %}, case when ({{ expr }}) is null then '{{ key }}' end{% endfor %}), 'missing: ')
{%- endmacro %}
