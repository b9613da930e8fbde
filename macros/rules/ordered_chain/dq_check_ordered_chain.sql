{#- dq_rule_checks branch of an ordered_chain rule (see rule_ordered_chain_violation). -#}
{% macro dq_check_ordered_chain(rule) -%}
    {%- set cols = rule.pairs | map('last') | list -%}
    {%- set codes = rule.codes -%}
    {%- set m = rule.missing -%}
    {%- set tol = rule.tolerance -%}
    {%- set expected_parts = [] -%}
    {%- set message_parts = [] -%}
    {%- set message_vi_parts = [] -%}
    {%- for i in range(cols | length - 1) -%}
        {%- for j in range(i + 1, cols | length) -%}
            {%- set cond = rule_ordered_chain_pair_violation(cols, i, j, m, tol) -%}
            {%- do expected_parts.append("case when " ~ cond ~ " then '" ~ codes[i] ~ " >= ' || "
                ~ rule_number_text(rule_input(cols[j], m)) ~ " end") -%}
            {%- do message_parts.append("case when " ~ cond ~ " then '" ~ codes[j] ~ " (' || "
                ~ rule_number_text(rule_input(cols[j], m)) ~ " || ') exceeds " ~ codes[i] ~ " (' || "
                ~ rule_number_text(rule_input(cols[i], m)) ~ " || ')' end") -%}
            {%- do message_vi_parts.append("case when " ~ cond ~ " then '" ~ codes[j] ~ " (' || "
                ~ rule_number_text(rule_input(cols[j], m)) ~ " || ') lớn hơn " ~ codes[i] ~ " (' || "
                ~ rule_number_text(rule_input(cols[i], m)) ~ " || ')' end") -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ dq_check_select(
        rule, "''", "'" ~ rule.codes | join(',') ~ "'",
        skipped=rule_ordered_chain_skipped(cols, m),
        violated=rule_ordered_chain_violation(cols, m, tol),
        skip_reason=dq_missing_list(rule.pairs),
        observed=dq_json_object(rule.pairs),
        expected="concat_ws('; ', " ~ expected_parts | join(', ') ~ ")",
        message="concat_ws('; ', " ~ message_parts | join(', ') ~ ")",
        message_vi="concat_ws('; ', " ~ message_vi_parts | join(', ') ~ ")",
        columns=cols) }}
{%- endmacro %}
