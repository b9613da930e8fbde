{#- dq_rule_checks branch of a completeness rule, one item per required indicator: reported means
    the document has the row and its value cell is not empty. Use params families=... to require
    the indicators of one template family only. -#}
{% macro dq_check_completeness(rule) -%}
    {{ dq_check_select(
        rule, 'v.item_code', 'v.item_code',
        skipped=rule_completeness_skipped(),
        violated=rule_completeness_violation(['case when v.x_reported then 1 end']),
        skip_reason='null',
        observed=dq_json_object([('v.item_code', 'v.x')], keys_are_sql=true),
        expected="'a reported value'",
        message="v.item_code || ' is not reported' || case when v.x_line_start is null"
            ~ " then ' (no row of the document maps to it)' else ' (empty value cell)' end",
        message_vi="v.item_code || ' không được báo cáo' || case when v.x_line_start is null"
            ~ " then ' (không có dòng nào của tài liệu ứng với chỉ tiêu này)' else ' (ô giá trị để trống)' end",
        columns=['v.item_code', 'v.x', 'v.x_reported', 'v.x_line_start'],
        source=dq_items_source(rule.codes)) }}
{%- endmacro %}
