{#- True when the row breaks the ordered chain columns[0] >= columns[1] >= ... (each step allowed
    to go up by at most `tolerance`); false when it holds or the row is skipped. -#}
{% macro rule_ordered_chain_violation(columns, missing='skip_if_any_missing', tolerance=0) -%}
    {%- if columns | length < 2 -%}
        {{ exceptions.raise_compiler_error("ordered_chain needs at least two columns") }}
    {%- endif -%}
    (not {{ rule_ordered_chain_skipped(columns, missing) }} and (
    {%- for i in range(columns | length - 1) %}
        {%- for j in range(i + 1, columns | length) %}
        {{ rule_ordered_chain_pair_violation(columns, i, j, missing, tolerance) }}
        {%- if not (i == columns | length - 2 and j == columns | length - 1) %} or{% endif %}
        {%- endfor %}
    {%- endfor %}
    ))
{%- endmacro %}
