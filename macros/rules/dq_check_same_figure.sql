{#- dq_rule_checks branches of a same_figure rule. With params second=candidate: one branch per
    indicator, comparing the value the marts use with the second statement of the same indicator in
    the report (pivot column <slug>__second; skipped when stated once). Otherwise the rule has two
    codes and compares them. Optional param rounding=true (see rule_same_figure_violation). -#}
{% macro dq_check_same_figure(rule) -%}
    {%- set m = rule.missing -%}
    {%- set rounding = rule.params.get('rounding', 'false') == 'true' -%}
    {%- if rule.params.get('second', '') == 'candidate' -%}
        {%- for code, col in rule.pairs -%}
            {%- set second = col ~ '__second' -%}
            {{ dq_check_select(
                rule, code, [code],
                skipped=rule_same_figure_skipped(col, second, m),
                violated=rule_same_figure_violation(col, second, m, rule.tolerance, rounding),
                skip_reason="case when " ~ col ~ " is null then 'missing: " ~ code ~ "' else 'stated once' end",
                observed=dq_json_object([(code, col), (code ~ '#second', second)]),
                expected=rule_number_text(rule_input(col, m)),
                message="'" ~ code ~ " is stated as ' || " ~ rule_number_text(rule_input(col, m))
                    ~ " || ' and as ' || " ~ rule_number_text(rule_input(second, m)),
                columns=[col, second],
                uses_second=true) }}
            {%- if not loop.last %}
    union all
            {% endif -%}
        {%- endfor -%}
    {%- else -%}
        {%- if rule.pairs | length != 2 -%}
            {{ exceptions.raise_compiler_error("rule " ~ rule.rule_id ~ ": same_figure needs two codes or second=candidate") }}
        {%- endif -%}
        {%- set a, b = rule.pairs[0][1], rule.pairs[1][1] -%}
        {{ dq_check_select(
            rule, '', rule.codes,
            skipped=rule_same_figure_skipped(a, b, m),
            violated=rule_same_figure_violation(a, b, m, rule.tolerance, rounding),
            skip_reason=dq_missing_list(rule.pairs),
            observed=dq_json_object(rule.pairs),
            expected=rule_number_text(rule_input(a, m)),
            message="'" ~ rule.codes[1] ~ " (' || " ~ rule_number_text(rule_input(b, m)) ~ " || ') differs from "
                ~ rule.codes[0] ~ " (' || " ~ rule_number_text(rule_input(a, m)) ~ " || ')'",
            columns=[a, b]) }}
    {%- endif -%}
{%- endmacro %}
