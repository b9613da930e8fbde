{#- A JSON object text from (key, numeric SQL expression) pairs: {"a": 1, "b": null}. Keys are
    indicator codes (dotted lowercase, nothing to escape). -#}
{% macro dq_json_object(pairs) -%}
    {%- if pairs | length == 0 -%}
        '{}'
    {%- else -%}
    ('{'
    {%- for key, expr in pairs %}
        || '{{ '' if loop.first else ', ' }}"{{ key }}": ' || coalesce({{ rule_number_text(expr) }}, 'null')
    {%- endfor %}
        || '}')
    {%- endif -%}
{%- endmacro %}
