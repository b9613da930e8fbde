{#- dq_rule_checks branch of a same_figure rule. With params second=candidate: one item per
    indicator, comparing the value the marts use with the second statement of the same indicator in
    the report (skipped when stated once). Otherwise the rule has two codes and compares them.
    Optional param rounding=true (see rule_same_figure_violation). -#}
{% macro dq_check_same_figure(rule) -%}
    {%- set m = rule.missing -%}
    {%- set rounding = rule.params.get('rounding', 'false') == 'true' -%}
    {%- if rule.params.get('second', '') == 'candidate' -%}
        {{ dq_check_select(
            rule, 'v.item_code', 'v.item_code',
            skipped=rule_same_figure_skipped('v.x', 'v.x_second', m),
            violated=rule_same_figure_violation('v.x', 'v.x_second', m, rule.tolerance, rounding),
            skip_reason="case when v.x is null then 'missing: ' || v.item_code else 'stated once' end",
            observed=dq_json_object([('v.item_code', 'v.x'), ("v.item_code || '#second'", 'v.x_second')], keys_are_sql=true),
            expected=rule_number_text(rule_input('v.x', m)),
            message="v.item_code || ' is stated as ' || " ~ rule_number_text(rule_input('v.x', m))
                ~ " || ' and as ' || " ~ rule_number_text(rule_input('v.x_second', m)),
            message_vi="v.item_code || ' được ghi là ' || " ~ rule_number_text(rule_input('v.x', m))
                ~ " || ' và là ' || " ~ rule_number_text(rule_input('v.x_second', m)),
            columns=['v.item_code', 'v.x', 'v.x_second'],
            uses_second=true,
            source=dq_items_source(rule.codes)) }}
    {%- else -%}
        {%- if rule.pairs | length != 2 -%}
            {{ exceptions.raise_compiler_error("rule " ~ rule.rule_id ~ ": same_figure needs two codes or second=candidate") }}
        {%- endif -%}
        {%- set a, b = rule.pairs[0][1], rule.pairs[1][1] -%}
        {{ dq_check_select(
            rule, "''", "'" ~ rule.codes | join(',') ~ "'",
            skipped=rule_same_figure_skipped(a, b, m),
            violated=rule_same_figure_violation(a, b, m, rule.tolerance, rounding),
            skip_reason=dq_missing_list(rule.pairs),
            observed=dq_json_object(rule.pairs),
            expected=rule_number_text(rule_input(a, m)),
            message="'" ~ rule.codes[1] ~ " (' || " ~ rule_number_text(rule_input(b, m)) ~ " || ') differs from "
                ~ rule.codes[0] ~ " (' || " ~ rule_number_text(rule_input(a, m)) ~ " || ')'",
            message_vi="'" ~ rule.codes[1] ~ " (' || " ~ rule_number_text(rule_input(b, m)) ~ " || ') khác "
                ~ rule.codes[0] ~ " (' || " ~ rule_number_text(rule_input(a, m)) ~ " || ')'",
            columns=[a, b]) }}
    {%- endif -%}
{%- endmacro %}
