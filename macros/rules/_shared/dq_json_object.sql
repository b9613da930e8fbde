{#- A JSON object text from (key, numeric SQL expression) pairs: {"a": 1, "b": null}. Keys are
    indicator codes (dotted lowercase, nothing to escape), literal text, or SQL expressions when
    keys_are_sql. -#}
{% macro dq_json_object(pairs, keys_are_sql=false) -%}
    {%- if pairs | length == 0 -%}
        '{}'
    {%- else -%}
    ('{'
    {%- for key, expr in pairs %}
        || '{{ '' if loop.first else ', ' }}"'
        || {{ key if keys_are_sql else "'" ~ key ~ "'" }}
        || '": ' || coalesce({{ rule_number_text(expr) }}, 'null')
    {%- endfor %}
        || '}')
    {%- endif -%}
{%- endmacro %}
