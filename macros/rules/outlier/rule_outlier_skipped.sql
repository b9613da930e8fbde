{#- True on a row of rule_outlier_scored(...) that is not scored: the value is missing, the
    partition has fewer than min_count values, or no spread (no modified z-score). -#}
{% macro rule_outlier_skipped(min_count=5, x='__outlier_x', z='__outlier_z', n='__outlier_n') -%}
    ({{ x }} is null or coalesce({{ n }}, 0) < {{ min_count }} or {{ z }} is null)
{%- endmacro %}
