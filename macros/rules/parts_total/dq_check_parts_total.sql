{#- dq_rule_checks branch of a parts_total rule: codes total|part|part...; params mode=equal|not_exceed.
    A part not reported is not read as 0: the check is then only "parts <= total", the message says
    which parts were not reported, and an error rule reports it as a warning. -#}
{% macro dq_check_parts_total(rule) -%}
    {%- set m = rule.missing -%}
    {%- set mode = rule.params.get('mode', 'equal') -%}
    {%- set total = rule.pairs[0][1] -%}
    {%- set parts = rule.pairs[1:] | map('last') | list -%}
    {%- set op = '= ' if mode == 'equal' else '<= ' -%}
    {%- set part_missing = rule_parts_total_part_missing(parts, m) -%}
    {%- set missing_parts = dq_missing_list(rule.pairs[1:]) -%}
    {{ dq_check_select(
        rule, "''", "'" ~ rule.codes | join(',') ~ "'",
        skipped=rule_parts_total_skipped(total, parts, m),
        violated=rule_parts_total_violation(total, parts, m, rule.tolerance, mode),
        skip_reason=dq_missing_list(rule.pairs),
        observed=dq_json_object(rule.pairs),
        expected="case when " ~ part_missing ~ " then 'sum of reported parts <= ' else 'sum of parts " ~ op
            ~ "' end || " ~ rule_number_text(rule_input(total, m)),
        message="'the parts add up to ' || " ~ rule_number_text(rule_parts_sum(parts))
            ~ " || ', the total " ~ rule.codes[0] ~ " is ' || " ~ rule_number_text(rule_input(total, m))
            ~ " || case when " ~ part_missing ~ " then ' (parts not reported, "
            ~ "so only parts <= total was checked: ' || replace(" ~ missing_parts ~ ", 'missing: ', '') || ')' "
            ~ "else '' end",
        message_vi="'tổng các phần là ' || " ~ rule_number_text(rule_parts_sum(parts))
            ~ " || ', tổng " ~ rule.codes[0] ~ " là ' || " ~ rule_number_text(rule_input(total, m))
            ~ " || case when " ~ part_missing ~ " then ' (có phần không được báo cáo, "
            ~ "nên chỉ kiểm tra tổng các phần <= tổng: ' || replace(" ~ missing_parts ~ ", 'missing: ', '') || ')' "
            ~ "else '' end",
        severity=("case when " ~ part_missing ~ " then 'warning' else '" ~ rule.severity ~ "' end")
            if rule.severity == 'error' else none,
        columns=rule.pairs | map('last') | list) }}
{%- endmacro %}
