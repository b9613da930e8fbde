{#- dq_rule_checks branch of a parts_total rule: codes total|part|part...; params mode=equal|not_exceed. -#}
{% macro dq_check_parts_total(rule) -%}
    {%- set m = rule.missing -%}
    {%- set mode = rule.params.get('mode', 'equal') -%}
    {%- set total = rule.pairs[0][1] -%}
    {%- set parts = rule.pairs[1:] | map('last') | list -%}
    {%- set op = '= ' if mode == 'equal' else '<= ' -%}
    {{ dq_check_select(
        rule, "''", "'" ~ rule.codes | join(',') ~ "'",
        skipped=rule_parts_total_skipped(total, parts, m),
        violated=rule_parts_total_violation(total, parts, m, rule.tolerance, mode),
        skip_reason=dq_missing_list(rule.pairs),
        observed=dq_json_object(rule.pairs),
        expected="'sum of parts " ~ op ~ "' || " ~ rule_number_text(rule_input(total, m)),
        message="'the parts add up to ' || " ~ rule_number_text(rule_parts_sum(parts))
            ~ " || ', the total " ~ rule.codes[0] ~ " is ' || " ~ rule_number_text(rule_input(total, m)),
        columns=rule.pairs | map('last') | list) }}
{%- endmacro %}
