{#- True on a row of rule_outlier_scored(...) whose |modified z-score| exceeds the threshold, in a
    partition with at least min_count values. -#}
{% macro rule_outlier_violation(threshold=3.5, min_count=5, z='__outlier_z', n='__outlier_n') -%}
    coalesce({{ n }} >= {{ min_count }} and abs({{ z }}) > {{ threshold }}, false)
{%- endmacro %}
