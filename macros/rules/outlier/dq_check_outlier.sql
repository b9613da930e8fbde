{#- dq_rule_checks branch of an outlier rule, one item per indicator: the modified z-score of the
    report's value among the reports with the same indicator and partition (params
    partition_by=a|b, default period_type; threshold, default 3.5; min_count, default 5), via
    rule_outlier_scored over dq_items_source. -#}
{% macro dq_check_outlier(rule) -%}
    {%- set threshold = rule.params.get('threshold', 3.5) -%}
    {%- set min_count = rule.params.get('min_count', 5) -%}
    {%- set partition_by = ['item_code'] + rule.params.get('partition_by', 'period_type').split('|') | map('trim') | list -%}
    {%- set scored = '(' ~ rule_outlier_scored(dq_items_source(rule.codes, none), 'x', partition_by) ~ ') as v' -%}
    {{ dq_check_select(
        rule, 'v.item_code', 'v.item_code',
        skipped=rule_outlier_skipped(min_count, 'v.__outlier_x', 'v.__outlier_z', 'v.__outlier_n'),
        violated=rule_outlier_violation(threshold, min_count, 'v.__outlier_z', 'v.__outlier_n'),
        skip_reason="case when v.__outlier_x is null then 'missing: ' || v.item_code else 'fewer than "
            ~ min_count ~ " values, or no spread, among reports of the same " ~ partition_by[1:] | join(', ') ~ "' end",
        observed=dq_json_object([('v.item_code', 'v.__outlier_x')], keys_are_sql=true),
        expected="'|modified z-score| <= " ~ threshold ~ " (median ' || " ~ rule_number_text('v.__outlier_median')
            ~ " || ', MAD ' || " ~ rule_number_text('v.__outlier_mad') ~ " || ')'",
        message="v.item_code || ' = ' || " ~ rule_number_text('v.__outlier_x') ~ " || ' has modified z-score ' || "
            ~ rule_number_text('v.__outlier_z') ~ " || ' among ' || cast(v.__outlier_n as "
            ~ dbt.type_string() ~ ") || ' reports'",
        message_vi="v.item_code || ' = ' || " ~ rule_number_text('v.__outlier_x') ~ " || ' có điểm z hiệu chỉnh ' || "
            ~ rule_number_text('v.__outlier_z') ~ " || ' trong số ' || cast(v.__outlier_n as "
            ~ dbt.type_string() ~ ") || ' báo cáo'",
        columns=['v.item_code', 'v.__outlier_x', 'v.__outlier_n', 'v.__outlier_z', 'v.__outlier_median', 'v.__outlier_mad'],
        source=scored) }}
{%- endmacro %}
